namespace Restate.Sdk.Conformance.Tests.Infrastructure;

// One shared runtime per configuration, as an xunit collection fixture: configurations run in parallel with each
// other, and the scenarios of one configuration run one after another against it (each on its own keys).

public sealed class DefaultRuntime() : ConformanceFixture(RuntimeConfiguration.Default);

public sealed class AlwaysSuspendingRuntime() : ConformanceFixture(RuntimeConfiguration.AlwaysSuspending);

public sealed class LazyStateRuntime() : ConformanceFixture(RuntimeConfiguration.LazyState);

public sealed class LazyStateAlwaysSuspendingRuntime() : ConformanceFixture(RuntimeConfiguration.LazyStateAlwaysSuspending);

public sealed class SingleThreadSinglePartitionRuntime() : ConformanceFixture(RuntimeConfiguration.SingleThreadSinglePartition);

public sealed class PersistedTimersRuntime() : ConformanceFixture(RuntimeConfiguration.PersistedTimers);

public sealed class RequestSigningRuntime() : ConformanceFixture(RuntimeConfiguration.RequestSigningOn);

public sealed class Http11Runtime() : ConformanceFixture(RuntimeConfiguration.Http11);

public sealed class ThreeNodesRuntime() : ConformanceFixture(RuntimeConfiguration.ThreeNodes);

public sealed class ThreeNodesAlwaysSuspendingRuntime() : ConformanceFixture(RuntimeConfiguration.ThreeNodesAlwaysSuspending);

public sealed class V7Runtime() : ConformanceFixture(RuntimeConfiguration.V7);

public sealed class V7AlwaysSuspendingRuntime() : ConformanceFixture(RuntimeConfiguration.V7AlwaysSuspending);

public sealed class V7Http11Runtime() : ConformanceFixture(RuntimeConfiguration.V7Http11);

public sealed class V7ThreeNodesRuntime() : ConformanceFixture(RuntimeConfiguration.V7ThreeNodes);

[CollectionDefinition(nameof(DefaultRuntime))]
public sealed class DefaultSuite : ICollectionFixture<DefaultRuntime>;

[CollectionDefinition(nameof(AlwaysSuspendingRuntime))]
public sealed class AlwaysSuspendingSuite : ICollectionFixture<AlwaysSuspendingRuntime>;

[CollectionDefinition(nameof(LazyStateRuntime))]
public sealed class LazyStateSuite : ICollectionFixture<LazyStateRuntime>;

[CollectionDefinition(nameof(LazyStateAlwaysSuspendingRuntime))]
public sealed class LazyStateAlwaysSuspendingSuite : ICollectionFixture<LazyStateAlwaysSuspendingRuntime>;

[CollectionDefinition(nameof(SingleThreadSinglePartitionRuntime))]
public sealed class SingleThreadSinglePartitionSuite : ICollectionFixture<SingleThreadSinglePartitionRuntime>;

[CollectionDefinition(nameof(PersistedTimersRuntime))]
public sealed class PersistedTimersSuite : ICollectionFixture<PersistedTimersRuntime>;

[CollectionDefinition(nameof(RequestSigningRuntime))]
public sealed class RequestSigningSuite : ICollectionFixture<RequestSigningRuntime>;

[CollectionDefinition(nameof(Http11Runtime))]
public sealed class Http11Suite : ICollectionFixture<Http11Runtime>;

[CollectionDefinition(nameof(ThreeNodesRuntime))]
public sealed class ThreeNodesSuite : ICollectionFixture<ThreeNodesRuntime>;

[CollectionDefinition(nameof(ThreeNodesAlwaysSuspendingRuntime))]
public sealed class ThreeNodesAlwaysSuspendingSuite : ICollectionFixture<ThreeNodesAlwaysSuspendingRuntime>;

[CollectionDefinition(nameof(V7Runtime))]
public sealed class V7Suite : ICollectionFixture<V7Runtime>;

[CollectionDefinition(nameof(V7AlwaysSuspendingRuntime))]
public sealed class V7AlwaysSuspendingSuite : ICollectionFixture<V7AlwaysSuspendingRuntime>;

[CollectionDefinition(nameof(V7Http11Runtime))]
public sealed class V7Http11Suite : ICollectionFixture<V7Http11Runtime>;

[CollectionDefinition(nameof(V7ThreeNodesRuntime))]
public sealed class V7ThreeNodesSuite : ICollectionFixture<V7ThreeNodesRuntime>;

// A runtime of its own, as a class fixture (one instance per test class, which runs as its own collection), for
// scenarios that kill or stop the runtime and so must not share it with anyone.

public sealed class OwnDefaultRuntime() : ConformanceFixture(RuntimeConfiguration.Default);

public sealed class OwnAlwaysSuspendingRuntime() : ConformanceFixture(RuntimeConfiguration.AlwaysSuspending);

public sealed class OwnSingleThreadSinglePartitionRuntime() : ConformanceFixture(RuntimeConfiguration.SingleThreadSinglePartition);

public sealed class OwnHttp11Runtime() : ConformanceFixture(RuntimeConfiguration.Http11);

public sealed class OwnThreeNodesRuntime() : ConformanceFixture(RuntimeConfiguration.ThreeNodes);

public sealed class OwnV7Runtime() : ConformanceFixture(RuntimeConfiguration.V7);

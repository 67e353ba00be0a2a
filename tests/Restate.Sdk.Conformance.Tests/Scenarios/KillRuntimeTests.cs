using Restate.Sdk.Conformance.Tests.Infrastructure;

namespace Restate.Sdk.Conformance.Tests.Scenarios;

/// <summary>KillRuntime: SIGKILL the runtime mid-life and start it again on the same data.</summary>
public abstract class KillRuntimeTests(ConformanceFixture fixture) : RuntimeRestartTests(fixture)
{
    [Fact]
    public Task CounterAdd_RuntimeKilledAndRestarted_KeepsTheCount() => AssertStateSurvivesRestartAsync();

    protected override Task TakeDownAsync(IRestateRuntime runtime) => runtime.KillAsync();
}

public sealed class KillRuntimeOnDefault(OwnDefaultRuntime fixture) : KillRuntimeTests(fixture), IClassFixture<OwnDefaultRuntime>;

public sealed class KillRuntimeOnAlwaysSuspending(OwnAlwaysSuspendingRuntime fixture)
    : KillRuntimeTests(fixture), IClassFixture<OwnAlwaysSuspendingRuntime>;

public sealed class KillRuntimeOnSingleThreadSinglePartition(OwnSingleThreadSinglePartitionRuntime fixture)
    : KillRuntimeTests(fixture), IClassFixture<OwnSingleThreadSinglePartitionRuntime>;

public sealed class KillRuntimeOnHttp11(OwnHttp11Runtime fixture) : KillRuntimeTests(fixture), IClassFixture<OwnHttp11Runtime>;

/// <summary>In the cluster one node (not the one clients talk to) goes down and comes back; the others carry on.</summary>
public sealed class KillRuntimeOnThreeNodes(OwnThreeNodesRuntime fixture) : KillRuntimeTests(fixture), IClassFixture<OwnThreeNodesRuntime>;

public sealed class KillRuntimeOnV7(OwnV7Runtime fixture) : KillRuntimeTests(fixture), IClassFixture<OwnV7Runtime>;

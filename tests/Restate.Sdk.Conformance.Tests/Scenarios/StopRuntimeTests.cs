using Restate.Sdk.Conformance.Tests.Infrastructure;

namespace Restate.Sdk.Conformance.Tests.Scenarios;

/// <summary>StopRuntime: stop the runtime gracefully and start it again on the same data.</summary>
public abstract class StopRuntimeTests(ConformanceFixture fixture) : RuntimeRestartTests(fixture)
{
    [Fact]
    public Task CounterAdd_RuntimeStoppedAndRestarted_KeepsTheCount() => AssertStateSurvivesRestartAsync();

    protected override Task TakeDownAsync(IRestateRuntime runtime) => runtime.StopAsync();
}

public sealed class StopRuntimeOnDefault(OwnDefaultRuntime fixture) : StopRuntimeTests(fixture), IClassFixture<OwnDefaultRuntime>;

public sealed class StopRuntimeOnAlwaysSuspending(OwnAlwaysSuspendingRuntime fixture)
    : StopRuntimeTests(fixture), IClassFixture<OwnAlwaysSuspendingRuntime>;

public sealed class StopRuntimeOnSingleThreadSinglePartition(OwnSingleThreadSinglePartitionRuntime fixture)
    : StopRuntimeTests(fixture), IClassFixture<OwnSingleThreadSinglePartitionRuntime>;

public sealed class StopRuntimeOnHttp11(OwnHttp11Runtime fixture) : StopRuntimeTests(fixture), IClassFixture<OwnHttp11Runtime>;

/// <summary>In the cluster one node (not the one clients talk to) goes down and comes back; the others carry on.</summary>
public sealed class StopRuntimeOnThreeNodes(OwnThreeNodesRuntime fixture) : StopRuntimeTests(fixture), IClassFixture<OwnThreeNodesRuntime>;

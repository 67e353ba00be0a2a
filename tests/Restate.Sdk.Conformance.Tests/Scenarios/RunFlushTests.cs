using Restate.Sdk.Conformance.Tests.Infrastructure;

namespace Restate.Sdk.Conformance.Tests.Scenarios;

/// <summary>
/// A run waits for the runtime to acknowledge its result before the handler goes on. When every wait suspends, the
/// attempt that finally completes replays all runs from the journal, so its in-memory count of executions is 0.
/// </summary>
public abstract class RunFlushTests(ConformanceFixture fixture)
{
    [Fact]
    public async Task CountExecutedSideEffects_ThreeRunsAlwaysSuspending_FinalAttemptExecutesNone()
    {
        var response = await fixture.CallAsync("/TestUtilsService/countExecutedSideEffects", "3", Guid.NewGuid().ToString());

        Assert.Equal("0", response.EnsureOk().Body);
    }
}

[Collection(nameof(AlwaysSuspendingRuntime))]
public sealed class RunFlushOnAlwaysSuspending(AlwaysSuspendingRuntime fixture) : RunFlushTests(fixture);

[Collection(nameof(ThreeNodesAlwaysSuspendingRuntime))]
public sealed class RunFlushOnThreeNodesAlwaysSuspending(ThreeNodesAlwaysSuspendingRuntime fixture) : RunFlushTests(fixture);

[Collection(nameof(V7AlwaysSuspendingRuntime))]
public sealed class RunFlushOnV7AlwaysSuspending(V7AlwaysSuspendingRuntime fixture) : RunFlushTests(fixture);

using Restate.Sdk.Conformance.Tests.Infrastructure;

namespace Restate.Sdk.Conformance.Tests.Scenarios;

/// <summary>
/// Retries of a failing run block: retried until it succeeds, and with a bounded retry policy, retried until the
/// attempts are used up and then surfaced to the handler as a terminal error it can catch.
/// </summary>
public abstract class RunRetryTests(ConformanceFixture fixture)
{
    [Fact]
    public async Task SideEffectSucceedsAfterGivenAttempts_Three_RetriesUntilTheThirdAttempt()
    {
        var response = await fixture.CallAsync($"/Failing/{Guid.NewGuid():N}/sideEffectSucceedsAfterGivenAttempts", "3");

        Assert.True(response.EnsureOk().Json.GetValue<int>() >= 3, $"attempts: {response.Body}");
    }

    [Fact]
    public async Task SideEffectFailsAfterGivenAttempts_OneAttempt_HandlerCatchesTheTerminalError()
    {
        var response = await fixture.CallAsync($"/Failing/{Guid.NewGuid():N}/sideEffectFailsAfterGivenAttempts", "1");

        Assert.True(response.EnsureOk().Json.GetValue<int>() >= 1, $"attempts: {response.Body}");
    }

    [Fact]
    public async Task SideEffectFailsAfterGivenAttempts_ThreeAttempts_HandlerCatchesTheTerminalError()
    {
        var response = await fixture.CallAsync($"/Failing/{Guid.NewGuid():N}/sideEffectFailsAfterGivenAttempts", "3");

        Assert.True(response.EnsureOk().Json.GetValue<int>() >= 3, $"attempts: {response.Body}");
    }
}

[Collection(nameof(DefaultRuntime))]
public sealed class RunRetryOnDefault(DefaultRuntime fixture) : RunRetryTests(fixture);

[Collection(nameof(AlwaysSuspendingRuntime))]
public sealed class RunRetryOnAlwaysSuspending(AlwaysSuspendingRuntime fixture) : RunRetryTests(fixture);

[Collection(nameof(SingleThreadSinglePartitionRuntime))]
public sealed class RunRetryOnSingleThreadSinglePartition(SingleThreadSinglePartitionRuntime fixture) : RunRetryTests(fixture);

[Collection(nameof(Http11Runtime))]
public sealed class RunRetryOnHttp11(Http11Runtime fixture) : RunRetryTests(fixture);

[Collection(nameof(ThreeNodesRuntime))]
public sealed class RunRetryOnThreeNodes(ThreeNodesRuntime fixture) : RunRetryTests(fixture);

[Collection(nameof(ThreeNodesAlwaysSuspendingRuntime))]
public sealed class RunRetryOnThreeNodesAlwaysSuspending(ThreeNodesAlwaysSuspendingRuntime fixture) : RunRetryTests(fixture);

[Collection(nameof(V7Runtime))]
public sealed class RunRetryOnV7(V7Runtime fixture) : RunRetryTests(fixture);

[Collection(nameof(V7AlwaysSuspendingRuntime))]
public sealed class RunRetryOnV7AlwaysSuspending(V7AlwaysSuspendingRuntime fixture) : RunRetryTests(fixture);

[Collection(nameof(V7Http11Runtime))]
public sealed class RunRetryOnV7Http11(V7Http11Runtime fixture) : RunRetryTests(fixture);

[Collection(nameof(V7ThreeNodesRuntime))]
public sealed class RunRetryOnV7ThreeNodes(V7ThreeNodesRuntime fixture) : RunRetryTests(fixture);

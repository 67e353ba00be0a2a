using System.Net;
using Restate.Sdk.Conformance.Tests.Infrastructure;
using static Restate.Sdk.Conformance.Tests.Infrastructure.Contracts;

namespace Restate.Sdk.Conformance.Tests.Scenarios;

/// <summary>
/// Cancelling an invocation that is blocked, deep in a call, a sleep or an awakeable: the cancellation reaches the
/// blocked callee, the caller sees it as a terminal "cancelled" failure (and records that), and the callee's object
/// is unlocked. Cancellation comes from the admin API or from another handler's context.
/// </summary>
public abstract class CancellationTests(ConformanceFixture fixture)
{
    [Theory]
    [InlineData("CALL")]
    [InlineData("SLEEP")]
    [InlineData("AWAKEABLE")]
    public async Task CancelFromAdminApi_BlockedRunner_RunnerRecordsCancellationAndBlockerIsUnlocked(string operation)
    {
        var key = Guid.NewGuid().ToString("N");
        var runner = await fixture.SendAsync($"/CancelTestRunner/{key}/startTest", JsonString(operation));
        await ReleaseIntoBlockingOperationAsync(key);

        // The cancellation may land before the runner's call reached the blocking service, so it is repeated.
        await Eventually.SucceedsAsync("the runner saw its cancellation", async ct =>
        {
            var status = await fixture.CancelInvocationAsync(runner.InvocationId, ct);
            // 404 or 409: the invocation is already finished, which is what a repeated cancel can find.
            Assert.True((int)status is >= 200 and < 300 || status is HttpStatusCode.NotFound or HttpStatusCode.Conflict,
                $"cancel answered {(int)status}");
            await AssertRunnerSawCancellationAsync(key);
        });

        await AssertBlockerUnlockedAsync(key);
        await AssertRunnerCompletedSuccessfullyAsync(runner.InvocationId);
    }

    [Theory]
    [InlineData("CALL")]
    [InlineData("SLEEP")]
    [InlineData("AWAKEABLE")]
    public async Task CancelFromContext_BlockedRunner_RunnerRecordsCancellationAndBlockerIsUnlocked(string operation)
    {
        var key = Guid.NewGuid().ToString("N");
        var started = (await fixture.CallAsync("/Proxy/oneWayCall",
            ProxyRequest("CancelTestRunner", key, "startTest", JsonString(operation)).ToJsonString())).EnsureOk();
        var runnerId = started.Json.GetValue<string>();
        await ReleaseIntoBlockingOperationAsync(key);

        await Eventually.SucceedsAsync("the runner saw its cancellation", async ct =>
        {
            (await fixture.CallAsync("/TestUtilsService/cancelInvocation", JsonString(runnerId), ct: ct)).EnsureOk();
            await AssertRunnerSawCancellationAsync(key);
        });

        await AssertBlockerUnlockedAsync(key);
        await AssertRunnerCompletedSuccessfullyAsync(runnerId);
    }

    /// <summary>The blocking service parks an awakeable in AwakeableHolder; resolving it lets it enter the operation.</summary>
    private async Task ReleaseIntoBlockingOperationAsync(string key)
    {
        await Eventually.SucceedsAsync("the blocking service holds an awakeable", async ct =>
            Assert.Equal("true", (await fixture.CallAsync($"/AwakeableHolder/{key}/hasAwakeable", ct: ct)).EnsureOk().Body));
        (await fixture.CallAsync($"/AwakeableHolder/{key}/unlock", JsonString("cancel"))).EnsureOk();
    }

    private async Task AssertRunnerSawCancellationAsync(string key)
    {
        // verifyTest queues behind the runner on its object, so it only answers once the runner is done.
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        Assert.Equal("true", (await fixture.CallAsync($"/CancelTestRunner/{key}/verifyTest", ct: wait.Token)).EnsureOk().Body);
    }

    /// <summary>The runner handled the cancellation of its call, so the admin API shows it as a success.</summary>
    private async Task AssertRunnerCompletedSuccessfullyAsync(string invocationId)
    {
        var invocation = await fixture.InvocationStatusAsync(invocationId);
        Assert.Equal("completed", invocation?["status"]?.GetValue<string>());
        Assert.Equal("success", invocation?["completion_result"]?.GetValue<string>());
    }

    private async Task AssertBlockerUnlockedAsync(string key) =>
        await Eventually.SucceedsAsync("the blocking service's object is unlocked", async ct =>
            (await fixture.CallAsync($"/CancelTestBlockingService/{key}/isUnlocked", ct: ct)).EnsureOk());
}

[Collection(nameof(DefaultRuntime))]
public sealed class CancellationOnDefault(DefaultRuntime fixture) : CancellationTests(fixture);

[Collection(nameof(AlwaysSuspendingRuntime))]
public sealed class CancellationOnAlwaysSuspending(AlwaysSuspendingRuntime fixture) : CancellationTests(fixture);

[Collection(nameof(SingleThreadSinglePartitionRuntime))]
public sealed class CancellationOnSingleThreadSinglePartition(SingleThreadSinglePartitionRuntime fixture) : CancellationTests(fixture);

[Collection(nameof(Http11Runtime))]
public sealed class CancellationOnHttp11(Http11Runtime fixture) : CancellationTests(fixture);

[Collection(nameof(ThreeNodesRuntime))]
public sealed class CancellationOnThreeNodes(ThreeNodesRuntime fixture) : CancellationTests(fixture);

[Collection(nameof(ThreeNodesAlwaysSuspendingRuntime))]
public sealed class CancellationOnThreeNodesAlwaysSuspending(ThreeNodesAlwaysSuspendingRuntime fixture) : CancellationTests(fixture);

[Collection(nameof(V7Runtime))]
public sealed class CancellationOnV7(V7Runtime fixture) : CancellationTests(fixture);

[Collection(nameof(V7AlwaysSuspendingRuntime))]
public sealed class CancellationOnV7AlwaysSuspending(V7AlwaysSuspendingRuntime fixture) : CancellationTests(fixture);

[Collection(nameof(V7Http11Runtime))]
public sealed class CancellationOnV7Http11(V7Http11Runtime fixture) : CancellationTests(fixture);

[Collection(nameof(V7ThreeNodesRuntime))]
public sealed class CancellationOnV7ThreeNodes(V7ThreeNodesRuntime fixture) : CancellationTests(fixture);

using Restate.Sdk.Conformance.Tests.Infrastructure;
using static Restate.Sdk.Conformance.Tests.Infrastructure.Contracts;

namespace Restate.Sdk.Conformance.Tests.Scenarios;

/// <summary>
/// Killing the root of a call tree that is stuck (an object calling itself on its own key waits forever): the
/// whole tree goes, so the stuck object is unlocked again, and the root ends as a failed invocation.
/// </summary>
public abstract class KillInvocationTests(ConformanceFixture fixture)
{
    [Fact]
    public async Task KillFromAdminApi_StuckCallTree_UnlocksTheObjectAndFailsTheRoot()
    {
        var key = Guid.NewGuid().ToString("N");
        var root = await fixture.SendAsync($"/KillTestRunner/{key}/startCallTree");
        await Eventually.SucceedsAsync("the call tree holds an awakeable", async ct =>
            Assert.Equal("true", (await fixture.CallAsync($"/AwakeableHolder/{key}/hasAwakeable", ct: ct)).EnsureOk().Body));
        (await fixture.CallAsync($"/AwakeableHolder/{key}/unlock", JsonString("cancel"))).EnsureOk();

        await Eventually.SucceedsAsync("the admin API accepted the kill", async ct =>
        {
            var status = await fixture.KillInvocationAsync(root.InvocationId, ct);
            Assert.True((int)status is >= 200 and < 300, $"kill answered {(int)status}");
        });

        await Eventually.SucceedsAsync("the stuck object is unlocked", async ct =>
            (await fixture.CallAsync($"/KillTestSingleton/{key}/isUnlocked", ct: ct)).EnsureOk());
        var outcome = await fixture.AttachAsync(root.InvocationId);
        var invocation = await fixture.InvocationStatusAsync(root.InvocationId);

        Assert.True((int)outcome.Status >= 400, $"the killed root should have failed, got {outcome}");
        Assert.Equal("completed", invocation?["status"]?.GetValue<string>());
        Assert.Equal("failure", invocation?["completion_result"]?.GetValue<string>());
    }
}

[Collection(nameof(DefaultRuntime))]
public sealed class KillInvocationOnDefault(DefaultRuntime fixture) : KillInvocationTests(fixture);

[Collection(nameof(SingleThreadSinglePartitionRuntime))]
public sealed class KillInvocationOnSingleThreadSinglePartition(SingleThreadSinglePartitionRuntime fixture) : KillInvocationTests(fixture);

[Collection(nameof(Http11Runtime))]
public sealed class KillInvocationOnHttp11(Http11Runtime fixture) : KillInvocationTests(fixture);

[Collection(nameof(ThreeNodesRuntime))]
public sealed class KillInvocationOnThreeNodes(ThreeNodesRuntime fixture) : KillInvocationTests(fixture);

[Collection(nameof(V7Runtime))]
public sealed class KillInvocationOnV7(V7Runtime fixture) : KillInvocationTests(fixture);

[Collection(nameof(V7Http11Runtime))]
public sealed class KillInvocationOnV7Http11(V7Http11Runtime fixture) : KillInvocationTests(fixture);

[Collection(nameof(V7ThreeNodesRuntime))]
public sealed class KillInvocationOnV7ThreeNodes(V7ThreeNodesRuntime fixture) : KillInvocationTests(fixture);

using Restate.Sdk.Conformance.Tests.Infrastructure;
using static Restate.Sdk.Conformance.Tests.Infrastructure.Contracts;

namespace Restate.Sdk.Conformance.Tests.Scenarios;

/// <summary>
/// A workflow blocked on a durable promise: a shared handler resolves the promise, the workflow completes with its
/// value, the result stays readable, and submitting the same workflow again changes nothing.
/// </summary>
public abstract class WorkflowApiTests(ConformanceFixture fixture)
{
    [Fact]
    public async Task Run_UnblockedThroughSharedHandler_CompletesOnceWithThePromiseValue()
    {
        var workflow = $"/BlockAndWaitWorkflow/{Guid.NewGuid():N}";
        var workflowResult = $"/restate/workflow{workflow}";

        var started = await fixture.SendAsync($"{workflow}/run", JsonString("Francesco"));
        await Eventually.SucceedsAsync("the workflow has written its state", async ct =>
        {
            var state = (await fixture.CallAsync($"{workflow}/getState", ct: ct)).EnsureOk().Json;
            Assert.False(string.IsNullOrWhiteSpace(state?.GetValue<string>()), "state is blank");
        });
        (await fixture.CallAsync($"{workflow}/unblock", JsonString("Till"), Guid.NewGuid().ToString())).EnsureOk();
        var attached = await fixture.GetAsync($"{workflowResult}/attach");
        var output = await fixture.GetAsync($"{workflowResult}/output");
        var resubmitted = await fixture.SendAsync($"{workflow}/run", JsonString("Francesco"));
        var outputAfterResubmit = await fixture.GetAsync($"{workflowResult}/output");

        Assert.Equal("Accepted", started.Status);
        Assert.Equal(JsonString("Till"), attached.EnsureOk().Body);
        Assert.Equal(JsonString("Till"), output.EnsureOk().Body);
        Assert.Equal("PreviouslyAccepted", resubmitted.Status);
        Assert.Equal(started.InvocationId, resubmitted.InvocationId);
        Assert.Equal(JsonString("Till"), outputAfterResubmit.EnsureOk().Body);
    }
}

[Collection(nameof(DefaultRuntime))]
public sealed class WorkflowApiOnDefault(DefaultRuntime fixture) : WorkflowApiTests(fixture);

[Collection(nameof(AlwaysSuspendingRuntime))]
public sealed class WorkflowApiOnAlwaysSuspending(AlwaysSuspendingRuntime fixture) : WorkflowApiTests(fixture);

[Collection(nameof(SingleThreadSinglePartitionRuntime))]
public sealed class WorkflowApiOnSingleThreadSinglePartition(SingleThreadSinglePartitionRuntime fixture) : WorkflowApiTests(fixture);

[Collection(nameof(Http11Runtime))]
public sealed class WorkflowApiOnHttp11(Http11Runtime fixture) : WorkflowApiTests(fixture);

[Collection(nameof(ThreeNodesRuntime))]
public sealed class WorkflowApiOnThreeNodes(ThreeNodesRuntime fixture) : WorkflowApiTests(fixture);

[Collection(nameof(ThreeNodesAlwaysSuspendingRuntime))]
public sealed class WorkflowApiOnThreeNodesAlwaysSuspending(ThreeNodesAlwaysSuspendingRuntime fixture) : WorkflowApiTests(fixture);

[Collection(nameof(V7Runtime))]
public sealed class WorkflowApiOnV7(V7Runtime fixture) : WorkflowApiTests(fixture);

[Collection(nameof(V7AlwaysSuspendingRuntime))]
public sealed class WorkflowApiOnV7AlwaysSuspending(V7AlwaysSuspendingRuntime fixture) : WorkflowApiTests(fixture);

[Collection(nameof(V7Http11Runtime))]
public sealed class WorkflowApiOnV7Http11(V7Http11Runtime fixture) : WorkflowApiTests(fixture);

[Collection(nameof(V7ThreeNodesRuntime))]
public sealed class WorkflowApiOnV7ThreeNodes(V7ThreeNodesRuntime fixture) : WorkflowApiTests(fixture);

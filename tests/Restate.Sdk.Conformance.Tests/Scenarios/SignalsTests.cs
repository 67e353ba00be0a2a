using Restate.Sdk.Conformance.Tests.Infrastructure;
using static Restate.Sdk.Conformance.Tests.Infrastructure.Contracts;

namespace Restate.Sdk.Conformance.Tests.Scenarios;

/// <summary>Named signals sent to a running invocation by another handler: a value resolves it, a reason fails it.</summary>
public abstract class SignalsTests(ConformanceFixture fixture)
{
    [Fact]
    public async Task AwaitOneSignal_Resolved_ReturnsTheValue()
    {
        var invocation = await StartAwaitingSignalAsync();

        (await fixture.CallAsync("/TestUtilsService/resolveSignal", ResolveSignal(invocation, "mysignal", "hello"))).EnsureOk();
        var result = await fixture.AttachAsync(invocation);

        Assert.Equal(JsonString("hello"), result.EnsureOk().Body);
    }

    [Fact]
    public async Task AwaitOneSignal_Rejected_FailsWithTheReason()
    {
        var invocation = await StartAwaitingSignalAsync();

        (await fixture.CallAsync("/TestUtilsService/rejectSignal", RejectSignal(invocation, "mysignal", "boom"))).EnsureOk();
        var result = await fixture.AttachAsync(invocation);

        Assert.True((int)result.Status >= 400, $"expected a failure, got {result}");
        Assert.Contains("boom", result.ErrorMessage, StringComparison.Ordinal);
    }

    private async Task<string> StartAwaitingSignalAsync() =>
        (await fixture.SendAsync($"/VirtualObjectCommandInterpreter/{Guid.NewGuid():N}/interpretCommands",
            Interpret(AwaitOne(CreateSignal("mysignal"))))).InvocationId;
}

[Collection(nameof(DefaultRuntime))]
public sealed class SignalsOnDefault(DefaultRuntime fixture) : SignalsTests(fixture);

[Collection(nameof(AlwaysSuspendingRuntime))]
public sealed class SignalsOnAlwaysSuspending(AlwaysSuspendingRuntime fixture) : SignalsTests(fixture);

[Collection(nameof(SingleThreadSinglePartitionRuntime))]
public sealed class SignalsOnSingleThreadSinglePartition(SingleThreadSinglePartitionRuntime fixture) : SignalsTests(fixture);

[Collection(nameof(Http11Runtime))]
public sealed class SignalsOnHttp11(Http11Runtime fixture) : SignalsTests(fixture);

[Collection(nameof(ThreeNodesRuntime))]
public sealed class SignalsOnThreeNodes(ThreeNodesRuntime fixture) : SignalsTests(fixture);

[Collection(nameof(ThreeNodesAlwaysSuspendingRuntime))]
public sealed class SignalsOnThreeNodesAlwaysSuspending(ThreeNodesAlwaysSuspendingRuntime fixture) : SignalsTests(fixture);

[Collection(nameof(V7Runtime))]
public sealed class SignalsOnV7(V7Runtime fixture) : SignalsTests(fixture);

[Collection(nameof(V7AlwaysSuspendingRuntime))]
public sealed class SignalsOnV7AlwaysSuspending(V7AlwaysSuspendingRuntime fixture) : SignalsTests(fixture);

[Collection(nameof(V7Http11Runtime))]
public sealed class SignalsOnV7Http11(V7Http11Runtime fixture) : SignalsTests(fixture);

[Collection(nameof(V7ThreeNodesRuntime))]
public sealed class SignalsOnV7ThreeNodes(V7ThreeNodesRuntime fixture) : SignalsTests(fixture);

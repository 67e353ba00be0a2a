using Restate.Sdk.Conformance.Tests.Infrastructure;
using Restate.Sdk.Testing;
using static Restate.Sdk.Conformance.Tests.Infrastructure.Contracts;

namespace Restate.Sdk.Conformance.Tests.Scenarios;

/// <summary>
/// Waiting on several durable futures at once (awakeables, sleeps, runs, signals) with the SDK's combinators:
/// the first to complete, the first to succeed, all of them, or all of them with their individual outcomes.
/// </summary>
public abstract class CombinatorsTests(ConformanceFixture fixture)
{
    private static readonly string[] AwakeableKeys = ["awk2", "awk0", "awk1"];

    [Fact]
    public async Task AwaitAny_AwakeableNeverResolvedAndShortSleep_SleepWins()
    {
        var result = await InterpretAsync(AwaitAny(CreateAwakeable("awk1"), Sleep(100)));

        Assert.Equal("sleep", result.EnsureOk().Json.GetValue<string>());
    }

    [Fact]
    public async Task AwaitAwakeableOrTimeout_NeverResolved_FailsWithTimeoutError()
    {
        var result = await InterpretAsync(AwaitAwakeableOrTimeout("should-timeout-awk", 100));

        Assert.True((int)result.Status >= 400, $"expected a failure, got {result}");
        Assert.Contains("await-timeout", result.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AwaitAnySuccessful_FailedRunsAndRejectedAwakeable_ReturnsTheResolvedAwakeable()
    {
        var key = Guid.NewGuid().ToString("N");
        var invocation = await fixture.SendAsync($"/VirtualObjectCommandInterpreter/{key}/interpretCommands", Interpret(
            AwaitAnySuccessful(
                CreateAwakeable("awk0"), RunThrowTerminalException("run0"),
                CreateAwakeable("awk1"), RunThrowTerminalException("run1"),
                CreateAwakeable("awk2"), RunThrowTerminalException("run2"))));

        await Eventually.SucceedsAsync("all three awakeables exist", async ct =>
        {
            foreach (var awakeable in AwakeableKeys)
            {
                var has = await fixture.CallAsync($"/VirtualObjectCommandInterpreter/{key}/hasAwakeable", JsonString(awakeable), ct: ct);
                Assert.Equal("true", has.EnsureOk().Body);
            }
        });
        (await fixture.CallAsync($"/VirtualObjectCommandInterpreter/{key}/rejectAwakeable",
            """{"awakeableKey":"awk2","reason":"fail"}""")).EnsureOk();
        (await fixture.CallAsync($"/VirtualObjectCommandInterpreter/{key}/resolveAwakeable",
            """{"awakeableKey":"awk1","value":"awk1-result"}""")).EnsureOk();

        var result = await fixture.AttachAsync(invocation.InvocationId);
        Assert.Equal("awk1-result", result.EnsureOk().Json.GetValue<string>());
    }

    [Fact]
    public async Task AwaitAnySuccessful_TwoSignalsRejectedOneResolved_ReturnsTheResolvedValue()
    {
        var result = await WithSignalsAsync(AwaitAnySuccessful(CreateSignal("sig0"), CreateSignal("sig1"), CreateSignal("sig2")),
            ("sig0", false, "fail0"), ("sig2", false, "fail2"), ("sig1", true, "success1"));

        Assert.Equal("success1", result.EnsureOk().Json.GetValue<string>());
    }

    [Fact]
    public async Task AwaitAllSucceededOrFirstFailed_AllSignalsResolved_JoinsValuesInOrder()
    {
        var result = await WithSignalsAsync(AwaitAllSucceededOrFirstFailed(CreateSignal("sig0"), CreateSignal("sig1"), CreateSignal("sig2")),
            ("sig0", true, "val0"), ("sig1", true, "val1"), ("sig2", true, "val2"));

        Assert.Equal("val0|val1|val2", result.EnsureOk().Json.GetValue<string>());
    }

    [Fact]
    public async Task AwaitAllCompleted_OneSignalRejected_ReportsEachOutcome()
    {
        var result = await WithSignalsAsync(AwaitAllCompleted(CreateSignal("sig0"), CreateSignal("sig1"), CreateSignal("sig2")),
            ("sig0", true, "val0"), ("sig1", false, "err1"), ("sig2", true, "val2"));

        Assert.Equal("ok:val0|err:err1|ok:val2", result.EnsureOk().Json.GetValue<string>());
    }

    [Fact]
    public async Task AwaitAny_OneOfThreeSignalsResolved_ReturnsItsValue()
    {
        var result = await WithSignalsAsync(AwaitAny(CreateSignal("sig0"), CreateSignal("sig1"), CreateSignal("sig2")),
            ("sig1", true, "first"));

        Assert.Equal("first", result.EnsureOk().Json.GetValue<string>());
    }

    [Fact]
    public async Task AwaitFirstCompleted_RunAgainstUnresolvedSignal_RunWins()
    {
        var result = await InterpretAsync(AwaitFirstCompleted(CreateSignal("sig"), RunReturns("runval")));

        Assert.Equal("runval", result.EnsureOk().Json.GetValue<string>());
    }

    [Fact]
    public async Task AwaitFirstSucceededOrAllFailed_RunFailsThenSignalResolved_ReturnsTheSignal()
    {
        var result = await WithSignalsAsync(AwaitFirstSucceededOrAllFailed(RunThrowTerminalException("fail"), CreateSignal("sig")),
            ("sig", true, "sigval"));

        Assert.Equal("sigval", result.EnsureOk().Json.GetValue<string>());
    }

    [Fact]
    public async Task AwaitAllSucceededOrFirstFailed_RunAndSignalSucceed_JoinsBoth()
    {
        var result = await WithSignalsAsync(AwaitAllSucceededOrFirstFailed(RunReturns("runval"), CreateSignal("sig")),
            ("sig", true, "sigval"));

        Assert.Equal("runval|sigval", result.EnsureOk().Json.GetValue<string>());
    }

    [Fact]
    public async Task AwaitAllCompleted_RunSignalAndFailingRun_ReportsEachOutcome()
    {
        var result = await WithSignalsAsync(
            AwaitAllCompleted(RunReturns("runval"), CreateSignal("sig"), RunThrowTerminalException("fail")),
            ("sig", true, "sigval"));

        Assert.Equal("ok:runval|ok:sigval|err:fail", result.EnsureOk().Json.GetValue<string>());
    }

    private Task<IngressResponse> InterpretAsync(System.Text.Json.Nodes.JsonObject command) =>
        fixture.CallAsync($"/VirtualObjectCommandInterpreter/{Guid.NewGuid():N}/interpretCommands", Interpret(command));

    /// <summary>Starts the command, completes the named signals in order through TestUtilsService, and attaches.</summary>
    private async Task<IngressResponse> WithSignalsAsync(System.Text.Json.Nodes.JsonObject command,
        params (string Name, bool Resolve, string ValueOrReason)[] signals)
    {
        var invocation = await fixture.SendAsync($"/VirtualObjectCommandInterpreter/{Guid.NewGuid():N}/interpretCommands",
            Interpret(command));
        foreach (var (name, resolve, valueOrReason) in signals)
        {
            var body = resolve
                ? ResolveSignal(invocation.InvocationId, name, valueOrReason)
                : RejectSignal(invocation.InvocationId, name, valueOrReason);
            (await fixture.CallAsync($"/TestUtilsService/{(resolve ? "resolveSignal" : "rejectSignal")}", body)).EnsureOk();
        }
        return await fixture.AttachAsync(invocation.InvocationId);
    }
}

[Collection(nameof(DefaultRuntime))]
public sealed class CombinatorsOnDefault(DefaultRuntime fixture) : CombinatorsTests(fixture);

[Collection(nameof(AlwaysSuspendingRuntime))]
public sealed class CombinatorsOnAlwaysSuspending(AlwaysSuspendingRuntime fixture) : CombinatorsTests(fixture);

[Collection(nameof(SingleThreadSinglePartitionRuntime))]
public sealed class CombinatorsOnSingleThreadSinglePartition(SingleThreadSinglePartitionRuntime fixture) : CombinatorsTests(fixture);

[Collection(nameof(Http11Runtime))]
public sealed class CombinatorsOnHttp11(Http11Runtime fixture) : CombinatorsTests(fixture);

[Collection(nameof(ThreeNodesRuntime))]
public sealed class CombinatorsOnThreeNodes(ThreeNodesRuntime fixture) : CombinatorsTests(fixture);

[Collection(nameof(ThreeNodesAlwaysSuspendingRuntime))]
public sealed class CombinatorsOnThreeNodesAlwaysSuspending(ThreeNodesAlwaysSuspendingRuntime fixture) : CombinatorsTests(fixture);

[Collection(nameof(V7Runtime))]
public sealed class CombinatorsOnV7(V7Runtime fixture) : CombinatorsTests(fixture);

[Collection(nameof(V7AlwaysSuspendingRuntime))]
public sealed class CombinatorsOnV7AlwaysSuspending(V7AlwaysSuspendingRuntime fixture) : CombinatorsTests(fixture);

[Collection(nameof(V7Http11Runtime))]
public sealed class CombinatorsOnV7Http11(V7Http11Runtime fixture) : CombinatorsTests(fixture);

[Collection(nameof(V7ThreeNodesRuntime))]
public sealed class CombinatorsOnV7ThreeNodes(V7ThreeNodesRuntime fixture) : CombinatorsTests(fixture);

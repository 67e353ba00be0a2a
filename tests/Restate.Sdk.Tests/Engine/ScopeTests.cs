using Restate.Sdk.Engine;
using Restate.Sdk.Protocol;

namespace Restate.Sdk.Tests.Engine;

/// <summary>
/// Scope and limit key on Call and OneWayCall commands: written as fields 7/8 (call) and 8/9 (send) under protocol V7,
/// compared on replay, and refused with a retryable 573 before V7.
/// </summary>
public sealed class ScopeTests
{
    private static readonly CallAddress Greeter = new("Greeter", "greet", null);

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void SysCall_V7ScopeAndLimitKey_WrittenAsFields7And8(Mode mode)
    {
        var output = StateMachineTestCase.Started(7)
            .RunHandler(mode, run =>
            {
                CallGreeter(run, scope: "payments", limitKey: "tenant1/user7");
                run.Finish();
            });

        var call = output.Frames[0].As<CallCommandMessage>();
        Assert.Equal("payments", call.Scope);
        Assert.Equal("tenant1/user7", call.LimitKey);
        Assert.Equal([1, 2, 3, 7, 8, 10, 11], Frames.FieldNumbers(output.Frames[0].Payload));
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void SysSend_V7ScopeAndLimitKey_WrittenAsFields8And9(Mode mode)
    {
        var output = StateMachineTestCase.Started(7)
            .RunHandler(mode, run =>
            {
                SendToGreeter(run, scope: "payments", limitKey: "tenant1");
                run.Finish();
            });

        var send = output.Frames[0].As<OneWayCallCommandMessage>();
        Assert.Equal("payments", send.Scope);
        Assert.Equal("tenant1", send.LimitKey);
        Assert.Equal([1, 2, 3, 8, 9, 10], Frames.FieldNumbers(output.Frames[0].Payload));
    }

    [Fact]
    public void SysSend_V7ScopeOnly_LimitKeyAbsent()
    {
        var output = StateMachineTestCase.Started(7)
            .RunHandler(run =>
            {
                SendToGreeter(run, scope: "payments");
                run.Finish();
            });

        var send = output.Frames[0].As<OneWayCallCommandMessage>();
        Assert.True(send.HasScope);
        Assert.False(send.HasLimitKey);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(6)]
    public void SysCall_NoScope_FieldsAbsentOnEveryVersion(int version)
    {
        var output = StateMachineTestCase.Started(version)
            .RunHandler(run =>
            {
                CallGreeter(run);
                run.Finish();
            });

        var call = output.Frames[0].As<CallCommandMessage>();
        Assert.False(call.HasScope);
        Assert.False(call.HasLimitKey);
    }

    [Theory]
    [InlineData(6, Mode.RequestResponse)]
    [InlineData(6, Mode.Bidi)]
    [InlineData(5, Mode.Bidi)]
    public void SysCall_ScopeBeforeV7_Fails573RetryablyNamingTheServerFlag(int version, Mode mode)
    {
        var output = StateMachineTestCase.Started(version)
            .RunHandler(mode, run =>
            {
                var e = Assert.Throws<StateMachineException>(() =>
                    CallGreeter(run, scope: "payments"));
                Assert.Equal(ErrorCodes.UnsupportedFeature, e.Code);
            });

        // The attempt ends with the error and writes no command; the runtime retries it.
        var error = output.EndsWithError();
        Assert.Equal(573u, error.Code);
        Assert.Contains($"needs service protocol V7, but this invocation negotiated V{version}", error.Message, StringComparison.Ordinal);
        Assert.Contains("RESTATE_EXPERIMENTAL_ENABLE_PROTOCOL_V7=true", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(output.Frames, frame => frame.Type == MessageType.CallCommand);
    }

    [Fact]
    public void SysSend_LimitKeyBeforeV7_Fails573()
    {
        var output = StateMachineTestCase.Started(6)
            .RunHandler(run =>
            {
                var e = Assert.Throws<StateMachineException>(() =>
                    SendToGreeter(run, scope: "payments", limitKey: "tenant1"));
                Assert.Equal(ErrorCodes.UnsupportedFeature, e.Code);
            });

        Assert.Equal(573u, output.EndsWithError().Code);
        Assert.DoesNotContain(output.Frames, frame => frame.Type == MessageType.OneWayCallCommand);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(6)]
    public void SysSend_LimitKeyWithoutScope_ArgumentExceptionOnEveryVersion(int version)
    {
        StateMachineTestCase.Started(version)
            .RunHandler(run =>
            {
                var e = Assert.Throws<ArgumentException>(() =>
                    SendToGreeter(run, limitKey: "tenant1"));
                Assert.Contains("has no scope", e.Message, StringComparison.Ordinal);
                run.Finish();
            });
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void SysCall_ReplaySameScopeAndLimitKey_Matches(Mode mode)
    {
        var output = StateMachineTestCase.Replaying(7, Frames.Command(MessageType.CallCommand, JournaledCall("payments", "tenant1")))
            .RunHandler(mode, run =>
            {
                CallGreeter(run, scope: "payments", limitKey: "tenant1");
                run.Finish();
            });

        output.Is(Expect.Finished());
    }

    [Theory]
    [InlineData("payments", "tenant2")]
    [InlineData("billing", "tenant1")]
    [InlineData("payments", null)]
    [InlineData(null, null)]
    public void SysCall_ReplayOtherScopeOrLimitKey_Fails570(string? scope, string? limitKey)
    {
        var output = StateMachineTestCase.Replaying(7, Frames.Command(MessageType.CallCommand, JournaledCall("payments", "tenant1")))
            .RunHandler(run =>
            {
                var e = Assert.Throws<StateMachineException>(() =>
                    CallGreeter(run, scope, limitKey));
                Assert.Equal(ErrorCodes.JournalMismatch, e.Code);
            });

        var error = output.EndsWithError();
        Assert.Equal(570u, error.Code);
        Assert.Equal((uint)MessageType.CallCommand, error.RelatedCommandType);
    }

    [Fact]
    public void SysSend_ReplayOtherLimitKey_Fails570()
    {
        var output = StateMachineTestCase.Replaying(7, Frames.Command(MessageType.OneWayCallCommand, JournaledSend("payments", "tenant1")))
            .RunHandler(run =>
            {
                var e = Assert.Throws<StateMachineException>(() =>
                    SendToGreeter(run, scope: "payments", limitKey: "tenant9"));
                Assert.Equal(ErrorCodes.JournalMismatch, e.Code);
            });

        Assert.Equal(570u, output.EndsWithError().Code);
    }

    private static CallCommandMessage JournaledCall(string scope, string limitKey) =>
        CallCommands.Call(Greeter, "\"x\"", scope: scope, limitKey: limitKey);

    private static OneWayCallCommandMessage JournaledSend(string scope, string limitKey) =>
        CallCommands.Send(Greeter, "\"x\"", scope: scope, limitKey: limitKey);

    /// <summary>The handler calls Greeter/greet with <c>"x"</c>.</summary>
    private static CallHandles CallGreeter(VmRun run, string? scope = null, string? limitKey = null) =>
        run.StateMachine.SysCall(Greeter, Frames.Utf8("\"x\""), null, null, "", scope, limitKey);

    /// <summary>The handler sends Greeter/greet <c>"x"</c>.</summary>
    private static NotificationHandle SendToGreeter(VmRun run, string? scope = null, string? limitKey = null) =>
        run.StateMachine.SysSend(Greeter, Frames.Utf8("\"x\""), null, null, null, "", scope, limitKey);
}

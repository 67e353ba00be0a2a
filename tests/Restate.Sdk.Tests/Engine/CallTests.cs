using Google.Protobuf;
using Restate.Sdk.Engine;
using Restate.Sdk.Protocol;

namespace Restate.Sdk.Tests.Engine;

public sealed class CallTests
{
    private static readonly CallAddress Counter = new("Counter", "add", "my-key");

    [Fact]
    public void SysCall_AllFields_WritesCallCommandTakingTwoCompletionIds()
    {
        var output = StateMachineTestCase.Started()
            .RunHandler(run =>
            {
                var handles = run.StateMachine.SysCall(Counter, Frames.Utf8("{\"n\":1}"),
                    [KeyValuePair.Create("x-a", "1"), KeyValuePair.Create("x-b", "2")], "idem-1", "add-one");
                Assert.NotEqual(handles.InvocationId, handles.Result);
                run.StateMachine.SysSleep(DateTimeOffset.FromUnixTimeMilliseconds(1), "");
                run.Finish();
            });

        var call = new CallCommandMessage
        {
            ServiceName = "Counter",
            HandlerName = "add",
            Parameter = ByteString.CopyFromUtf8("{\"n\":1}"),
            Key = "my-key",
            IdempotencyKey = "idem-1",
            InvocationIdNotificationIdx = 1,
            ResultCompletionId = 2,
            Name = "add-one",
        };
        call.Headers.Add(new Header { Key = "x-a", Value = "1" });
        call.Headers.Add(new Header { Key = "x-b", Value = "2" });
        output.Is([Expect.Command(MessageType.CallCommand, call), Expect.Sleep(3, 1), .. Expect.Finished()]);
        // The parameter is raw bytes on field 3, not a Value wrapper.
        Assert.Equal(ByteString.CopyFromUtf8("{\"n\":1}"), output.Frames[0].As<CallCommandMessage>().Parameter);
    }

    [Fact]
    public void SysCall_NoKeyNoIdempotencyKey_FieldsAbsent()
    {
        var output = StateMachineTestCase.Started()
            .RunHandler(run =>
            {
                run.StateMachine.SysCall(new CallAddress("Greeter", "greet", null), Frames.Utf8("\"x\""), null, null, "");
                run.Finish();
            });

        var call = output.Frames[0].As<CallCommandMessage>();
        Assert.False(call.HasIdempotencyKey);
        Assert.Equal(string.Empty, call.Key);
        Assert.Equal([1, 2, 3, 10, 11], Frames.FieldNumbers(output.Frames[0].Payload));
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void SysCall_InvocationIdAndResult_TakenSeparately(Mode mode)
    {
        var output = StateMachineTestCase.Started()
            .WithInput(
                Frames.Notification(MessageType.CallCompletionNotification, completionId: 2, value: "42"),
                Frames.Notification(MessageType.CallInvocationIdCompletionNotification, completionId: 1, invocationId: "inv_1child"))
            .RunHandler(mode, run =>
            {
                var handles = run.StateMachine.SysCall(Counter, Frames.Utf8("1"), null, null, "");
                run.AwaitCompleted(handles.InvocationId);
                var id = Assert.IsType<NotificationValue.InvocationId>(run.Take(handles.InvocationId));
                Assert.Equal("inv_1child", id.Id);
                run.AwaitCompleted(handles.Result);
                Values.AssertSuccess("42", run.Take(handles.Result));
                Assert.Null(run.StateMachine.TakeNotification(handles.Result)); // taken once
                run.Finish();
            });

        output.Is([CounterCall("1", 1, 2), .. Expect.Finished()]);
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void SysCall_ResultMissing_SuspendsOnResultIdOrWaits(Mode mode)
    {
        var output = StateMachineTestCase.Started()
            .WithInput(
                Frames.Notification(MessageType.CallInvocationIdCompletionNotification, completionId: 1, invocationId: "inv_1child"))
            .RunHandler(mode, run =>
            {
                var handles = run.StateMachine.SysCall(Counter, Frames.Utf8("1"), null, null, "");
                if (run.AwaitBlocks(handles.Result))
                {
                    run.Feed(Frames.Notification(MessageType.CallCompletionNotification, completionId: 2,
                        failure: Frames.Fail(409, "nope", ("a", "b"))));
                    run.AwaitCompleted(handles.Result);
                    var failure = Assert.IsType<NotificationValue.Failure>(run.Take(handles.Result));
                    Assert.Equal(new TerminalFailure(409, "nope"), failure.Error with { Metadata = [] });
                    Assert.Equal([KeyValuePair.Create("a", "b")], failure.Error.Metadata);
                    run.Finish();
                }
            });

        ExpectedFrame[] tail = mode == Mode.RequestResponse
            ? [Expect.Suspension(completions: [2], signals: [1])]
            : Expect.Finished();
        output.Is([CounterCall("1", 1, 2), .. tail]);
    }

    [Fact]
    public void SysSend_WritesOneWayCallTakingOneCompletionId()
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);
        var output = StateMachineTestCase.Started()
            .RunHandler(run =>
            {
                run.StateMachine.SysSend(Counter, Frames.Utf8("5"), [KeyValuePair.Create("h", "v")], "idem", at, "later");
                run.StateMachine.SysSend(new CallAddress("Greeter", "greet", null), Frames.Utf8("6"), null, null, null, "");
                run.StateMachine.SysCall(Counter, Frames.Utf8("7"), null, null, "");
                run.Finish();
            });

        var first = new OneWayCallCommandMessage
        {
            ServiceName = "Counter",
            HandlerName = "add",
            Parameter = ByteString.CopyFromUtf8("5"),
            InvokeTime = 1_700_000_000_123,
            Key = "my-key",
            IdempotencyKey = "idem",
            InvocationIdNotificationIdx = 1,
            Name = "later",
        };
        first.Headers.Add(new Header { Key = "h", Value = "v" });
        output.Is(
        [
            Expect.Command(MessageType.OneWayCallCommand, first),
            Expect.Command(MessageType.OneWayCallCommand, CallCommands.Send(new CallAddress("Greeter", "greet", null), "6", invocationIdCompletion: 2)),
            CounterCall("7", 3, 4),
            .. Expect.Finished(),
        ]);
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void SysSend_InvocationIdNotification_Taken(Mode mode)
    {
        StateMachineTestCase.Started()
            .WithInput(
                Frames.Notification(MessageType.CallInvocationIdCompletionNotification, completionId: 1, invocationId: "inv_1sent"))
            .RunHandler(mode, run =>
            {
                var handle = run.StateMachine.SysSend(Counter, Frames.Utf8("1"), null, null, null, "");
                run.AwaitCompleted(handle);
                Assert.Equal(new NotificationValue.InvocationId("inv_1sent"), run.Take(handle));
                run.Finish();
            });
    }

    [Fact]
    public void SysSend_ReplayWithDifferentInvokeTime_NotAMismatch()
    {
        var journaled = CallCommands.Send(Counter, "5");
        journaled.InvokeTime = 1_000;
        StateMachineTestCase.Replaying(Frames.Command(MessageType.OneWayCallCommand, journaled))
            .RunHandler(run =>
            {
                run.StateMachine.SysSend(Counter, Frames.Utf8("5"), null, null, DateTimeOffset.FromUnixTimeMilliseconds(999_999), "");
                run.Finish();
            })
            .Is(Expect.Finished());
    }

    [Fact]
    public void SysSend_ReplayWithDifferentParameter_Fails570()
    {
        var output = StateMachineTestCase.Replaying(Frames.Command(MessageType.OneWayCallCommand, CallCommands.Send(Counter, "5")))
            .RunHandler(run =>
            {
                var e = Assert.Throws<StateMachineException>(() => run.StateMachine.SysSend(Counter, Frames.Utf8("6"), null, null, null, ""));
                Assert.Equal(ErrorCodes.JournalMismatch, e.Code);
            });

        var error = output.EndsWithError();
        Assert.Equal(570u, error.Code);
        Assert.Equal(1u, error.RelatedCommandIndex);
        Assert.Equal((uint)MessageType.OneWayCallCommand, error.RelatedCommandType);
    }

    [Fact]
    public void SysCall_ReplayedWithNotifications_NothingReemitted()
    {
        StateMachineTestCase.Replaying(
                Frames.Command(MessageType.CallCommand, CallCommands.Call(Counter, "1")),
                Frames.Notification(MessageType.CallInvocationIdCompletionNotification, completionId: 1, invocationId: "inv_1child"),
                Frames.Notification(MessageType.CallCompletionNotification, completionId: 2, value: "2"))
            .RunHandler(run =>
            {
                var handles = run.StateMachine.SysCall(Counter, Frames.Utf8("1"), null, null, "");
                run.AwaitCompleted(handles.Result);
                Values.AssertSuccess("2", run.Take(handles.Result));
                run.Finish();
            })
            .Is(Expect.Finished());
    }

    [Fact]
    public void SysCancelInvocation_WritesSendSignalCancel()
    {
        var output = StateMachineTestCase.Started()
            .RunHandler(run =>
            {
                run.StateMachine.SysCancelInvocation("inv_1other");
                run.Finish();
            });

        output.Is([Expect.CancelSignal("inv_1other"), .. Expect.Finished()]);
        Assert.Equal([1, 2, 4], Frames.FieldNumbers(output.Frames[0].Payload));
    }

    [Fact]
    public void SysCompleteSignal_WritesSendSignalByName()
    {
        StateMachineTestCase.Started()
            .RunHandler(run =>
            {
                run.StateMachine.SysCompleteSignal("inv_1other", "approved", Values.Success("true"));
                run.Finish();
            })
            .Is(
            [
                Expect.Command(MessageType.SendSignalCommand,
                    new SendSignalCommandMessage { TargetInvocationId = "inv_1other", Name = "approved", Value = Frames.Value("true") }),
                .. Expect.Finished(),
            ]);
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void SysGetInvocationOutput_VoidNotification_MeansNotFinished(Mode mode)
    {
        StateMachineTestCase.Started()
            .WithInput(
                Frames.Notification(MessageType.GetInvocationOutputCompletionNotification, completionId: 1, isVoid: true),
                Frames.Notification(MessageType.AttachInvocationCompletionNotification, completionId: 2, value: "\"out\""))
            .RunHandler(mode, run =>
            {
                var output = run.StateMachine.SysGetInvocationOutput(new InvocationTarget.ById("inv_1other"));
                var attach = run.StateMachine.SysAttachInvocation(new InvocationTarget.Workflow("Signup", "bob"));
                run.AwaitCompleted(output);
                Values.AssertVoid(run.Take(output));
                run.AwaitCompleted(attach);
                Values.AssertSuccess("\"out\"", run.Take(attach));
                run.Finish();
            })
            .Is(
            [
                Expect.Command(MessageType.GetInvocationOutputCommand,
                    new GetInvocationOutputCommandMessage { InvocationId = "inv_1other", ResultCompletionId = 1 }),
                Expect.Command(MessageType.AttachInvocationCommand, new AttachInvocationCommandMessage
                {
                    WorkflowTarget = new WorkflowTarget { WorkflowName = "Signup", WorkflowKey = "bob" },
                    ResultCompletionId = 2,
                }),
                .. Expect.Finished(),
            ]);
    }

    private static ExpectedFrame CounterCall(string parameter, uint invocationIdCompletion, uint resultCompletion) =>
        Expect.Command(MessageType.CallCommand, CallCommands.Call(Counter, parameter, invocationIdCompletion, resultCompletion));
}

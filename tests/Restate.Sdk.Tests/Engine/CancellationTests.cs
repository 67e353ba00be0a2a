using Google.Protobuf;
using Restate.Sdk.Engine;
using Restate.Sdk.Protocol;

namespace Restate.Sdk.Tests.Engine;

public sealed class CancellationTests
{
    private static readonly CallAddress Child = new("Child", "work", null);

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void DoProgress_CancelWithKnownChildInvocationId_CancelsChildThenReportsCancel(Mode mode)
    {
        var output = StateMachineTestCase.Started()
            .WithInput(
                Frames.Notification(MessageType.CallInvocationIdCompletionNotification, completionId: 1, invocationId: "inv_1child"),
                Frames.Cancel())
            .RunHandler(mode, run =>
            {
                var call = run.StateMachine.SysCall(Child, Frames.Utf8("1"), null, null, "");
                Assert.IsType<AwaitResponse.CancelSignalReceived>(run.Await(call.Result));
                // The signal was consumed: awaiting again blocks on the call result like before.
                run.AwaitBlocks(call.Result);
            });

        output.Is(
        [
            ChildCall(1, 2),
            Expect.CancelSignal("inv_1child"),
            .. mode == Mode.RequestResponse ? [Expect.Suspension(completions: [2], signals: [1])] : Array.Empty<ExpectedFrame>(),
        ]);
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void DoProgress_CancelAfterInvocationIdWasTaken_UsesTakenId(Mode mode)
    {
        StateMachineTestCase.Started()
            .WithInput(
                Frames.Notification(MessageType.CallInvocationIdCompletionNotification, completionId: 1, invocationId: "inv_1child"),
                Frames.Cancel())
            .RunHandler(mode, run =>
            {
                var call = run.StateMachine.SysCall(Child, Frames.Utf8("1"), null, null, "");
                run.AwaitCompleted(call.InvocationId);
                Assert.Equal(new NotificationValue.InvocationId("inv_1child"), run.Take(call.InvocationId));
                Assert.IsType<AwaitResponse.CancelSignalReceived>(run.Await(call.Result));
                run.StateMachine.SysWriteOutput(Values.Failure(409, "cancelled"));
                run.StateMachine.SysEnd();
            })
            .Is(ChildCall(1, 2), Expect.CancelSignal("inv_1child"), Expect.OutputFailure(Frames.Fail(409, "cancelled")), Expect.End());
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void DoProgress_CancelWithUnknownChildInvocationId_WaitsForTheIdFirst(Mode mode)
    {
        var output = StateMachineTestCase.Started()
            .WithInput(Frames.Cancel())
            .RunHandler(mode, run =>
            {
                var call = run.StateMachine.SysCall(Child, Frames.Utf8("1"), null, null, "");
                if (run.AwaitBlocks(call.Result))
                {
                    run.Feed(Frames.Notification(MessageType.CallInvocationIdCompletionNotification, completionId: 1, invocationId: "inv_1late"));
                    Assert.IsType<AwaitResponse.CancelSignalReceived>(run.Await(call.Result));
                    run.Finish();
                }
            });

        // The cancel signal already arrived, so the suspension waits only for the child's invocation id.
        ExpectedFrame[] tail = mode == Mode.RequestResponse
            ? [Expect.Suspension(completions: [1])]
            : [Expect.CancelSignal("inv_1late"), .. Expect.Finished()];
        output.Is([ChildCall(1, 2), .. tail]);
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void DoProgress_CancelWithSeveralChildren_CancelsEachInCallOrder(Mode mode)
    {
        StateMachineTestCase.Started()
            .WithInput(
                Frames.Notification(MessageType.CallInvocationIdCompletionNotification, completionId: 3, invocationId: "inv_1second"),
                Frames.Notification(MessageType.CallInvocationIdCompletionNotification, completionId: 1, invocationId: "inv_1first"),
                Frames.Cancel())
            .RunHandler(mode, run =>
            {
                var first = run.StateMachine.SysCall(Child, Frames.Utf8("1"), null, null, "");
                var second = run.StateMachine.SysCall(Child, Frames.Utf8("1"), null, null, "");
                var sleep = run.StateMachine.SysSleep(DateTimeOffset.FromUnixTimeMilliseconds(1), "");
                Assert.IsType<AwaitResponse.CancelSignalReceived>(run.Await(sleep));
            })
            .Is(ChildCall(1, 2), ChildCall(3, 4), Expect.Sleep(5, 1), Expect.CancelSignal("inv_1first"), Expect.CancelSignal("inv_1second"));
    }

    [Fact]
    public void DoProgress_CancelWithOneWayChild_DoesNotCancelIt()
    {
        StateMachineTestCase.Started()
            .WithInput(
                Frames.Notification(MessageType.CallInvocationIdCompletionNotification, completionId: 1, invocationId: "inv_1sent"),
                Frames.Cancel())
            .RunHandler(run =>
            {
                run.StateMachine.SysSend(Child, Frames.Utf8("1"), null, null, null, "");
                var sleep = run.StateMachine.SysSleep(DateTimeOffset.FromUnixTimeMilliseconds(1), "");
                Assert.IsType<AwaitResponse.CancelSignalReceived>(run.Await(sleep));
            })
            .Is(
                Expect.Command(MessageType.OneWayCallCommand, new OneWayCallCommandMessage
                {
                    ServiceName = "Child",
                    HandlerName = "work",
                    Parameter = ByteString.CopyFromUtf8("1"),
                    InvocationIdNotificationIdx = 1,
                }),
                Expect.Sleep(2, 1));
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void DoProgress_CancelArrivesMidAwait_ReportsCancel(Mode mode)
    {
        var output = StateMachineTestCase.Started()
            .RunHandler(mode, run =>
            {
                var sleep = run.StateMachine.SysSleep(DateTimeOffset.FromUnixTimeMilliseconds(1), "");
                if (run.AwaitBlocks(sleep))
                {
                    run.Feed(Frames.Cancel());
                    Assert.IsType<AwaitResponse.CancelSignalReceived>(run.Await(sleep));
                }
            });

        output.Is([Expect.Sleep(1, 1), .. mode == Mode.RequestResponse ? [Expect.Suspension(completions: [1], signals: [1])] : Array.Empty<ExpectedFrame>()]);
    }

    [Fact]
    public void DoProgress_CancelReplayed_ReplaysCancelSignalCommands()
    {
        StateMachineTestCase.Replaying(
                Frames.Command(MessageType.CallCommand, ChildCall(1, 2).Message),
                Frames.Notification(MessageType.CallInvocationIdCompletionNotification, completionId: 1, invocationId: "inv_1child"),
                Frames.Cancel(),
                Frames.Command(MessageType.SendSignalCommand, Expect.CancelSignal("inv_1child").Message))
            .RunHandler(run =>
            {
                var call = run.StateMachine.SysCall(Child, Frames.Utf8("1"), null, null, "");
                Assert.Equal(StateMachineState.Replaying, run.StateMachine.State);
                Assert.IsType<AwaitResponse.CancelSignalReceived>(run.Await(call.Result));
                Assert.Equal(StateMachineState.Processing, run.StateMachine.State);
                run.StateMachine.SysWriteOutput(Values.Failure(409, "cancelled"));
                run.StateMachine.SysEnd();
            })
            .Is(Expect.OutputFailure(Frames.Fail(409, "cancelled")), Expect.End());
    }

    [Fact]
    public void DoProgress_ImplicitCancellationDisabled_NoCancelSignalInSuspension()
    {
        StateMachineTestCase.Started(implicitCancellation: false)
            .WithInput(Frames.Cancel())
            .RunHandler(run =>
            {
                var sleep = run.StateMachine.SysSleep(DateTimeOffset.FromUnixTimeMilliseconds(1), "");
                run.AwaitSuspends(Fut.One(sleep));
            })
            .Is(Expect.Sleep(1, 1), Expect.Suspension(completions: [1]));
    }

    [Fact]
    public void DoProgress_ImplicitCancellationDisabled_CancelHandleAwaitable()
    {
        StateMachineTestCase.Started(implicitCancellation: false)
            .WithInput(Frames.Cancel())
            .RunHandler(run =>
            {
                run.AwaitCompleted(NotificationHandle.Cancel);
                Values.AssertVoid(run.Take(NotificationHandle.Cancel));
            })
            .Is();
    }

    private static ExpectedFrame ChildCall(uint invocationIdCompletion, uint resultCompletion) =>
        Expect.Command(MessageType.CallCommand, new CallCommandMessage
        {
            ServiceName = "Child",
            HandlerName = "work",
            Parameter = ByteString.CopyFromUtf8("1"),
            InvocationIdNotificationIdx = invocationIdCompletion,
            ResultCompletionId = resultCompletion,
        });
}

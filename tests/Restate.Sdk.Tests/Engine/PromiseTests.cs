using Restate.Sdk.Protocol;

namespace Restate.Sdk.Tests.Engine;

public sealed class PromiseTests
{
    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void SysGetPromise_Resolved_ReturnsValue(Mode mode)
    {
        Workflow(Frames.Notification(MessageType.GetPromiseCompletionNotification, completionId: 1, value: "\"yes\""))
            .RunHandler(mode, run =>
            {
                var handle = run.StateMachine.SysGetPromise("decision");
                run.AwaitCompleted(handle);
                Values.AssertSuccess("\"yes\"", run.Take(handle));
                run.Finish();
            })
            .Is([Expect.GetPromise(1, "decision"), .. Expect.Finished()]);
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void SysGetPromise_Rejected_ReturnsFailure(Mode mode)
    {
        Workflow(Frames.Notification(MessageType.GetPromiseCompletionNotification, completionId: 1, failure: Frames.Fail(500, "no")))
            .RunHandler(mode, run =>
            {
                var handle = run.StateMachine.SysGetPromise("decision");
                run.AwaitCompleted(handle);
                Values.AssertFailure(500, "no", run.Take(handle));
                run.Finish();
            })
            .Is([Expect.GetPromise(1, "decision"), .. Expect.Finished()]);
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void SysGetPromise_NotResolved_SuspendsOrWaits(Mode mode)
    {
        Workflow()
            .RunHandler(mode, run =>
            {
                var handle = run.StateMachine.SysGetPromise("decision");
                if (run.AwaitBlocks(handle))
                {
                    run.Feed(Frames.Notification(MessageType.GetPromiseCompletionNotification, completionId: 1, value: "1"));
                    run.AwaitCompleted(handle);
                    Values.AssertSuccess("1", run.Take(handle));
                    run.Finish();
                }
            })
            .Is(
            [
                Expect.GetPromise(1, "decision"),
                .. mode == Mode.RequestResponse ? [Expect.Suspension(completions: [1], signals: [1])] : Expect.Finished(),
            ]);
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void SysPeekPromise_Void_MeansNotCompletedYet(Mode mode)
    {
        Workflow(Frames.Notification(MessageType.PeekPromiseCompletionNotification, completionId: 1, isVoid: true))
            .RunHandler(mode, run =>
            {
                var handle = run.StateMachine.SysPeekPromise("decision");
                run.AwaitCompleted(handle);
                Values.AssertVoid(run.Take(handle));
                run.Finish();
            })
            .Is(
            [
                Expect.Command(MessageType.PeekPromiseCommand, new PeekPromiseCommandMessage { Key = "decision", ResultCompletionId = 1 }),
                .. Expect.Finished(),
            ]);
    }

    [Fact]
    public void SysPeekPromise_Value_ReturnsIt()
    {
        Workflow(Frames.Notification(MessageType.PeekPromiseCompletionNotification, completionId: 1, value: "3"))
            .RunHandler(run =>
            {
                var handle = run.StateMachine.SysPeekPromise("decision");
                run.AwaitCompleted(handle);
                Values.AssertSuccess("3", run.Take(handle));
            });
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void SysCompletePromise_VoidNotification_MeansItTookEffect(Mode mode)
    {
        Workflow(Frames.Notification(MessageType.CompletePromiseCompletionNotification, completionId: 1, isVoid: true))
            .RunHandler(mode, run =>
            {
                var handle = run.StateMachine.SysCompletePromise("decision", Values.Success("\"yes\""));
                run.AwaitCompleted(handle);
                Values.AssertVoid(run.Take(handle));
                run.Finish();
            })
            .Is(
            [
                Expect.Command(MessageType.CompletePromiseCommand, new CompletePromiseCommandMessage
                {
                    Key = "decision",
                    CompletionValue = Frames.Value("\"yes\""),
                    ResultCompletionId = 1,
                }),
                .. Expect.Finished(),
            ]);
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void SysCompletePromise_AlreadyCompleted_ReturnsFailure(Mode mode)
    {
        var output = Workflow(Frames.Notification(MessageType.CompletePromiseCompletionNotification, completionId: 1,
                failure: Frames.Fail(409, "promise already completed")))
            .RunHandler(mode, run =>
            {
                var handle = run.StateMachine.SysCompletePromise("decision", Values.Failure(500, "rejecting"));
                run.AwaitCompleted(handle);
                Values.AssertFailure(409, "promise already completed", run.Take(handle));
                run.Finish();
            });

        output.Is(
        [
            Expect.Command(MessageType.CompletePromiseCommand, new CompletePromiseCommandMessage
            {
                Key = "decision",
                CompletionFailure = Frames.Fail(500, "rejecting"),
                ResultCompletionId = 1,
            }),
            .. Expect.Finished(),
        ]);
        Assert.Equal([1, 3, 11], Frames.FieldNumbers(output.Frames[0].Payload));
    }

    private static StateMachineTestCase Workflow(params byte[][] notifications) =>
        StateMachineTestCase.Create()
            .WithInput(Frames.Start(1, key: "wf-1"), Frames.Input("1"))
            .WithInput(notifications);
}

using Restate.Sdk.Engine;
using Restate.Sdk.Protocol;

namespace Restate.Sdk.Tests.Engine;

public sealed class SleepTests
{
    private const ulong WakeUp = 1_795_380_272_969;

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void SysSleep_NotCompleted_SuspendsOnCompletionAndCancelOrWaits(Mode mode)
    {
        var output = StateMachineTestCase.Started()
            .RunHandler(mode, run =>
            {
                var handle = run.StateMachine.SysSleep(DateTimeOffset.FromUnixTimeMilliseconds((long)WakeUp), "nap");
                if (run.AwaitBlocks(handle))
                {
                    Assert.Equal([Expect.Sleep(1, WakeUp, "nap").Message], run.TakeOutput().Select(f => f.Message));
                    run.Feed(Frames.Notification(MessageType.SleepCompletionNotification, completionId: 1, isVoid: true));
                    run.AwaitCompleted(handle);
                    Values.AssertVoid(run.Take(handle));
                    run.Finish();
                }
            });

        ExpectedFrame[] tail = mode == Mode.RequestResponse
            ? [Expect.Suspension(completions: [1], signals: [1])]
            : Expect.Finished();
        output.Is([Expect.Sleep(1, WakeUp, "nap"), .. tail]);
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void SysSleep_ReplayedWithCompletion_CompletesWithoutReemitting(Mode mode)
    {
        var output = StateMachineTestCase.Replaying(
                Frames.Command(MessageType.SleepCommand, Expect.Sleep(1, WakeUp, "nap").Message),
                Frames.Notification(MessageType.SleepCompletionNotification, completionId: 1, isVoid: true))
            .RunHandler(mode, run =>
            {
                // A different wake-up time (computed from "now" on this attempt) is not a journal mismatch.
                var handle = run.StateMachine.SysSleep(DateTimeOffset.FromUnixTimeMilliseconds((long)WakeUp + 60_000), "nap");
                Assert.Equal(StateMachineState.Processing, run.StateMachine.State);
                run.AwaitCompleted(handle);
                Values.AssertVoid(run.Take(handle));
                run.Finish("\"slept\"");
            });

        output.Is(Expect.Finished("\"slept\""));
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void SysSleep_ReplayedStillSleeping_SuspendsOrWaitsAgain(Mode mode)
    {
        var output = StateMachineTestCase.Replaying(
                Frames.Command(MessageType.SleepCommand, Expect.Sleep(1, WakeUp, "nap").Message))
            .RunHandler(mode, run =>
            {
                var handle = run.StateMachine.SysSleep(DateTimeOffset.FromUnixTimeMilliseconds(5), "nap");
                run.AwaitBlocks(handle);
            });

        output.Is(mode == Mode.RequestResponse ? [Expect.Suspension(completions: [1], signals: [1])] : []);
    }

    [Fact]
    public void SysSleep_TwoSleeps_SuspendsOnlyOnTheAwaitedOne()
    {
        StateMachineTestCase.Started()
            .RunHandler(run =>
            {
                run.StateMachine.SysSleep(DateTimeOffset.FromUnixTimeMilliseconds(10), "a");
                var second = run.StateMachine.SysSleep(DateTimeOffset.FromUnixTimeMilliseconds(20), "b");
                run.AwaitSuspends(Fut.One(second));
            })
            .Is(Expect.Sleep(1, 10, "a"), Expect.Sleep(2, 20, "b"), Expect.Suspension(completions: [2], signals: [1]));
    }
}

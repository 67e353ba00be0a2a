using Restate.Sdk.Engine;
using Restate.Sdk.Protocol;

namespace Restate.Sdk.Tests.Engine;

/// <summary>
/// DoProgress called again and again with the same awaited tree, as the driver does while a fan-out runs: the state
/// machine keeps that tree's layout between calls, so these tests pin that the kept layout answers exactly what laying
/// the tree out afresh would (which run next, whether an executing run is awaited, when to suspend), also after a
/// result was taken or promoted for another future in between.
/// </summary>
public sealed class KeptTreeTests
{
    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void DoProgress_SameAllOfLeavesOutOfOrder_ExecutesByHandleAndWaitsForTheLastProposal(Mode mode)
    {
        const int runs = 40;
        var output = StateMachineTestCase.Started()
            .RunHandler(mode, run =>
            {
                var handles = Enumerable.Range(1, runs).Select(i => run.StateMachine.SysRun($"r{i}").Handle).ToArray();
                // Leaves in a scrambled order: runs still start by handle, the order they were journaled in.
                var scrambled = Enumerable.Range(1, runs).Select(i => handles[7 * i % 41 - 1]).ToArray();
                var all = Fut.Of(CombinatorKind.AllSucceededOrFirstFailed, scrambled);
                foreach (var handle in handles)
                {
                    Assert.Equal(new AwaitResponse.ExecuteRun(handle), run.Await(all));
                }
                for (var i = 0; i < runs; i++)
                {
                    Assert.Equal(new AwaitResponse.WaitingExternalProgress(run.IsBidi, true), run.Await(all));
                    run.StateMachine.ProposeRunCompletion(handles[i], new RunExitResult.Success(Frames.Utf8($"{i + 1}")), RetryPolicy.Infinite);
                }
                // Every proposal is out and no result came back: nothing executing is awaited any more.
                if (run.AwaitBlocks(all))
                {
                    for (var i = 1u; i <= runs; i++)
                    {
                        run.Feed(Frames.Notification(MessageType.RunCompletionNotification, completionId: i, value: $"{i}"));
                    }
                    run.AwaitCompleted(all);
                    for (var i = 0; i < runs; i++)
                    {
                        Values.AssertSuccess($"{i + 1}", run.Take(handles[i]));
                    }
                    run.Finish();
                }
            });

        ExpectedFrame[] tail = mode == Mode.RequestResponse
            ? [Expect.Suspension(completions: [.. Enumerable.Range(1, runs).Select(i => (uint)i)], signals: [1])]
            : Expect.Finished();
        output.Is([
            .. Enumerable.Range(1, runs).Select(i => Expect.Run((uint)i, $"r{i}")),
            .. Enumerable.Range(1, runs).Select(i => Expect.ProposeRun((uint)i, $"{i}")),
            .. tail,
        ]);
    }

    [Fact]
    public void DoProgress_SameTreeAfterOneResultWasTaken_ThatLeafIsPendingAgain()
    {
        StateMachineTestCase.Started()
            .RunHandler(Mode.Bidi, run =>
            {
                var first = run.StateMachine.SysRun("first").Handle;
                var second = run.StateMachine.SysRun("second").Handle;
                var all = Fut.Of(CombinatorKind.AllSucceededOrFirstFailed, first, second);
                Assert.Equal(new AwaitResponse.ExecuteRun(first), run.Await(all));
                Assert.Equal(new AwaitResponse.ExecuteRun(second), run.Await(all));
                run.StateMachine.ProposeRunCompletion(first, new RunExitResult.Success(Frames.Utf8("1")), RetryPolicy.Infinite);
                run.Feed(Frames.Notification(MessageType.RunCompletionNotification, completionId: 1, value: "1"));
                Assert.Equal(new AwaitResponse.WaitingExternalProgress(true, true), run.Await(all));
                Values.AssertSuccess("1", run.Take(first));

                run.StateMachine.ProposeRunCompletion(second, new RunExitResult.Success(Frames.Utf8("2")), RetryPolicy.Infinite);
                run.Feed(Frames.Notification(MessageType.RunCompletionNotification, completionId: 2, value: "2"));
                // The first result is gone, so this tree cannot complete: the same answer as a fresh layout gives.
                Assert.Equal(new AwaitResponse.WaitingExternalProgress(true, false), run.Await(all));
                Assert.Equal(new AwaitResponse.WaitingExternalProgress(true, false),
                    run.Await(Fut.Of(CombinatorKind.AllSucceededOrFirstFailed, first, second)));
                run.AwaitCompleted(second);
            })
            .Is(Expect.Run(1, "first"), Expect.Run(2, "second"), Expect.ProposeRun(1, "1"), Expect.ProposeRun(2, "2"));
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void DoProgress_RunExecutedAndPromotedThroughAnotherAwait_KeptTreeSeesBoth(Mode mode)
    {
        var output = StateMachineTestCase.Started()
            .RunHandler(mode, run =>
            {
                var first = run.StateMachine.SysRun("first").Handle;
                var second = run.StateMachine.SysRun("second").Handle;
                var all = Fut.Of(CombinatorKind.AllSucceededOrFirstFailed, first, second);
                Assert.Equal(new AwaitResponse.ExecuteRun(first), run.Await(all));
                // The second run is started by an await of it alone; the tree must not start it again.
                Assert.Equal(new AwaitResponse.ExecuteRun(second), run.Await(second));
                Assert.Equal(new AwaitResponse.WaitingExternalProgress(run.IsBidi, true), run.Await(all));
                run.StateMachine.ProposeRunCompletion(first, new RunExitResult.Success(Frames.Utf8("1")), RetryPolicy.Infinite);
                Assert.Equal(new AwaitResponse.WaitingExternalProgress(run.IsBidi, true), run.Await(all));
                run.StateMachine.ProposeRunCompletion(second, new RunExitResult.Success(Frames.Utf8("2")), RetryPolicy.Infinite);
                if (!run.IsBidi)
                {
                    run.AwaitSuspends(all);
                    return;
                }
                Assert.Equal(new AwaitResponse.WaitingExternalProgress(true, false), run.Await(all));
                // Both results arrive, but only the second is promoted, by an await of it alone.
                run.Feed(Frames.Notification(MessageType.RunCompletionNotification, completionId: 2, value: "2"));
                run.AwaitCompleted(second);
                run.Feed(Frames.Notification(MessageType.RunCompletionNotification, completionId: 1, value: "1"));
                run.AwaitCompleted(all);
                Values.AssertSuccess("1", run.Take(first));
                Values.AssertSuccess("2", run.Take(second));
                run.Finish();
            });

        ExpectedFrame[] tail = mode == Mode.RequestResponse
            ? [Expect.Suspension(completions: [1, 2], signals: [1])]
            : Expect.Finished();
        output.Is([Expect.Run(1, "first"), Expect.Run(2, "second"), Expect.ProposeRun(1, "1"), Expect.ProposeRun(2, "2"), .. tail]);
    }
}

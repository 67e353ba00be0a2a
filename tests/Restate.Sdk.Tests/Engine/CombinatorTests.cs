using Restate.Sdk.Engine;
using Restate.Sdk.Protocol;

namespace Restate.Sdk.Tests.Engine;

/// <summary>
/// DoProgress over combinator trees. Leaves are three workflow promises (completion ids 1, 2, 3); notifications
/// succeed or fail them. DoProgress answers AnyCompleted only once the whole tree resolves under its rules.
/// </summary>
public sealed class CombinatorTests
{
    private static readonly ExpectedFrame[] ThreePromises =
        [Expect.GetPromise(1, "p1"), Expect.GetPromise(2, "p2"), Expect.GetPromise(3, "p3")];

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void DoProgress_FirstCompleted_ResolvesWithAnyChild(Mode mode)
    {
        WithNotifications(Succeed(2))
            .Run(mode, run =>
            {
                var h = Promises(run);
                run.AwaitCompleted(Fut.Of(CombinatorKind.FirstCompleted, h));
                Assert.False(run.StateMachine.IsReady(h[0]));
                Assert.True(run.StateMachine.IsReady(h[1]));
                Assert.False(run.StateMachine.IsReady(h[2]));
                run.Finish();
            })
            .Is([.. ThreePromises, .. Expect.Finished()]);
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void DoProgress_FirstCompleted_PromotesNotificationsOneAtATime(Mode mode)
    {
        // Both results arrived (p2 first); the race resolves on p2 and leaves p1 queued, as replay would see it.
        WithNotifications(Succeed(2), Succeed(1))
            .Run(mode, run =>
            {
                var h = Promises(run);
                run.AwaitCompleted(Fut.Of(CombinatorKind.FirstCompleted, h[0], h[1]));
                Assert.True(run.StateMachine.IsReady(h[1]));
                Assert.False(run.StateMachine.IsReady(h[0]));
                run.AwaitCompleted(h[0]);
                Assert.True(run.StateMachine.IsReady(h[0]));
            });
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void DoProgress_AllCompleted_WaitsForEveryChildIncludingFailures(Mode mode)
    {
        var output = WithNotifications(Succeed(1), Reject(2))
            .Run(mode, run =>
            {
                var h = Promises(run);
                var all = Fut.Of(CombinatorKind.AllCompleted, h);
                if (run.AwaitBlocks(all))
                {
                    run.Feed(Reject(3));
                    run.AwaitCompleted(all);
                    Values.AssertSuccess("1", run.Take(h[0]));
                    Values.AssertFailure(500, "p2 failed", run.Take(h[1]));
                    Values.AssertFailure(500, "p3 failed", run.Take(h[2]));
                    run.Finish();
                }
            });

        output.Is([.. ThreePromises, .. BlockedTail(mode, [3])]);
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void DoProgress_FirstSucceededOrAllFailed_FailuresDoNotResolveUntilSuccess(Mode mode)
    {
        var output = WithNotifications(Reject(1))
            .Run(mode, run =>
            {
                var h = Promises(run);
                var any = Fut.Of(CombinatorKind.FirstSucceededOrAllFailed, h);
                if (run.AwaitBlocks(any))
                {
                    run.Feed(Reject(3));
                    Assert.Equal(new AwaitResponse.WaitingExternalProgress(true, false), run.Await(any));
                    run.Feed(Succeed(2));
                    run.AwaitCompleted(any);
                    Values.AssertSuccess("2", run.Take(h[1]));
                    run.Finish();
                }
            });

        output.Is([.. ThreePromises, .. BlockedTail(mode, [2, 3])]);
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void DoProgress_FirstSucceededOrAllFailed_AllFailedResolves(Mode mode)
    {
        WithNotifications(Reject(1), Reject(2), Reject(3))
            .Run(mode, run =>
            {
                var h = Promises(run);
                run.AwaitCompleted(Fut.Of(CombinatorKind.FirstSucceededOrAllFailed, h));
                run.Finish();
            })
            .Is([.. ThreePromises, .. Expect.Finished()]);
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void DoProgress_AllSucceededOrFirstFailed_ShortCircuitsOnFailure(Mode mode)
    {
        var output = WithNotifications(Succeed(1))
            .Run(mode, run =>
            {
                var h = Promises(run);
                var all = Fut.Of(CombinatorKind.AllSucceededOrFirstFailed, h);
                if (run.AwaitBlocks(all))
                {
                    run.Feed(Reject(3));
                    run.AwaitCompleted(all); // p2 is still pending
                    Assert.False(run.StateMachine.IsReady(h[1]));
                    Values.AssertFailure(500, "p3 failed", run.Take(h[2]));
                    run.Finish();
                }
            });

        output.Is([.. ThreePromises, .. BlockedTail(mode, [2, 3])]);
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void DoProgress_AllSucceededOrFirstFailed_AllSucceededResolves(Mode mode)
    {
        WithNotifications(Succeed(3), Succeed(1), Succeed(2))
            .Run(mode, run =>
            {
                var h = Promises(run);
                run.AwaitCompleted(Fut.Of(CombinatorKind.AllSucceededOrFirstFailed, h));
                Assert.All(h, handle => Assert.True(run.StateMachine.IsReady(handle)));
            });
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void DoProgress_NestedShortCircuit_DoesNotResolveRootAndSuspendsOnRemainder(Mode mode)
    {
        // AllCompleted([AllSucceededOrFirstFailed([p1, p2]), p3]): p1 fails, so the inner "all" is settled; the root
        // still needs p3, and p2 no longer matters.
        var output = WithNotifications(Reject(1))
            .Run(mode, run =>
            {
                var h = Promises(run);
                var tree = Fut.Of(CombinatorKind.AllCompleted,
                    Fut.Of(CombinatorKind.AllSucceededOrFirstFailed, h[0], h[1]),
                    Fut.One(h[2]));
                if (run.AwaitBlocks(tree))
                {
                    run.Feed(Succeed(3));
                    run.AwaitCompleted(tree);
                    run.Finish();
                }
            });

        output.Is([.. ThreePromises, .. BlockedTail(mode, [3])]);
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void DoProgress_NestedRaceOfAlls_ResolvesWhenOneBranchResolves(Mode mode)
    {
        // FirstCompleted([AllCompleted([p1, p2]), p3]): p1 alone does not settle the left branch.
        var output = WithNotifications(Succeed(1))
            .Run(mode, run =>
            {
                var h = Promises(run);
                var tree = Fut.Of(CombinatorKind.FirstCompleted,
                    Fut.Of(CombinatorKind.AllCompleted, h[0], h[1]),
                    Fut.One(h[2]));
                if (run.AwaitBlocks(tree))
                {
                    run.Feed(Reject(2));
                    run.AwaitCompleted(tree);
                    Assert.False(run.StateMachine.IsReady(h[2]));
                    run.Finish();
                }
            });

        output.Is([.. ThreePromises, .. BlockedTail(mode, [2, 3])]);
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void DoProgress_UnknownCombinator_ResolvesWithAnyChild(Mode mode)
    {
        WithNotifications(Reject(3))
            .Run(mode, run =>
            {
                var h = Promises(run);
                run.AwaitCompleted(Fut.Of(CombinatorKind.Unknown, h));
            });
    }

    [Fact]
    public void DoProgress_ResultBufferedBeforeInputClosed_CompletesWithoutSuspending()
    {
        StateMachineTestCase.Create()
            .WithInput(Frames.Start(1, key: "wf"), Frames.Input("1"))
            .Run(Mode.Bidi, run =>
            {
                var h = Promises(run);
                run.Feed(Succeed(2));
                run.StateMachine.NotifyInputClosed();
                run.AwaitCompleted(h[1]);
                run.AwaitSuspends(Fut.One(h[0]));
            })
            .Is([.. ThreePromises, Expect.Suspension(completions: [1], signals: [1])]);
    }

    [Fact]
    public void DoProgress_SameHandleAwaitedTwice_WaitsEachTimeThenSuspends()
    {
        StateMachineTestCase.Create()
            .WithInput(Frames.Start(1, key: "wf"), Frames.Input("1"))
            .Run(Mode.Bidi, run =>
            {
                var h = Promises(run);
                Assert.Equal(new AwaitResponse.WaitingExternalProgress(true, false), run.Await(h[0]));
                Assert.Equal(new AwaitResponse.WaitingExternalProgress(true, false), run.Await(h[0]));
                run.StateMachine.NotifyInputClosed();
                run.AwaitSuspends(Fut.One(h[0]));
            })
            .Is([.. ThreePromises, Expect.Suspension(completions: [1], signals: [1])]);
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void SysEnd_UnawaitedCall_StillEnds(Mode mode)
    {
        var output = StateMachineTestCase.Started()
            .RunHandler(mode, run =>
            {
                run.StateMachine.SysCall(new CallAddress("Svc", "h", null), Frames.Utf8("1"), null, null, "");
                run.Finish();
            });

        Assert.Equal([MessageType.CallCommand, MessageType.OutputCommand, MessageType.End], output.Frames.Select(f => f.Type));
    }

    [Fact]
    public void DoProgress_MixedLeafKinds_SuspensionListsEachKind()
    {
        StateMachineTestCase.Create()
            .WithInput(Frames.Start(1, key: "wf"), Frames.Input("1"))
            .RunHandler(run =>
            {
                var sleep = run.StateMachine.SysSleep(DateTimeOffset.FromUnixTimeMilliseconds(9), "");
                var (_, awakeable) = run.StateMachine.SysAwakeable();
                var named = run.StateMachine.CreateSignalHandle("go");
                run.AwaitSuspends(Fut.Of(CombinatorKind.FirstCompleted, sleep, awakeable, named));
            })
            .Is(Expect.Sleep(1, 9), Expect.Suspension(completions: [1], signals: [1, 17], named: ["go"]));
    }

    private static byte[] Succeed(uint completionId) =>
        Frames.Notification(MessageType.GetPromiseCompletionNotification, completionId: completionId, value: completionId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static byte[] Reject(uint completionId) =>
        Frames.Notification(MessageType.GetPromiseCompletionNotification, completionId: completionId,
            failure: Frames.Fail(500, $"p{completionId} failed"));

    private static StateMachineTestCase WithNotifications(params byte[][] notifications) =>
        StateMachineTestCase.Create().WithInput(Frames.Start(1, key: "wf"), Frames.Input("1")).WithInput(notifications);

    private static NotificationHandle[] Promises(VmRun run)
    {
        run.Input();
        return [run.StateMachine.SysGetPromise("p1"), run.StateMachine.SysGetPromise("p2"), run.StateMachine.SysGetPromise("p3")];
    }

    /// <summary>Request/response: suspended on the still-unresolved completions (and cancel). Bidi: finished.</summary>
    private static ExpectedFrame[] BlockedTail(Mode mode, uint[] pending) =>
        mode == Mode.RequestResponse ? [Expect.Suspension(completions: pending, signals: [1])] : Expect.Finished();
}

using System.Globalization;
using Restate.Sdk.Engine;
using Restate.Sdk.Protocol;

namespace Restate.Sdk.Tests.Engine;

/// <summary>
/// DoProgress over wide and nested combinators: the state machine promotes queued notifications one at a time, in arrival
/// order, and stops at the first one that resolves the awaited tree. Which results are ready at that point decides
/// what the SDK returns (the lowest-index failure of an all-of, the lowest-index result of a race), so these tests pin
/// exactly which children are ready after each await.
/// </summary>
public sealed class CombinatorOrderTests
{
    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void DoProgress_AllOfManyReplayedRuns_ScrambledCompletions_EveryValueInChildOrder(Mode mode)
    {
        // 200 runs started, then awaited with one all-of; they finished in a scrambled order (completion id 7i mod 211).
        const uint runs = 200;
        var input = new List<byte[]> { Frames.Start(1 + (2 * runs)), Frames.Input("1") };
        for (var i = 1u; i <= runs; i++)
        {
            input.Add(Frames.Command(MessageType.RunCommand, Expect.Run(i, $"r{i}").Message));
        }
        var finished = Enumerable.Range(1, 210).Select(i => (uint)(7 * i % 211)).Where(id => id <= runs).ToArray();
        Assert.Equal(runs, (uint)finished.Distinct().Count());
        input.AddRange(finished.Select(id => Frames.Notification(MessageType.RunCompletionNotification, completionId: id, value: $"\"v{id}\"")));

        StateMachineTestCase.Create()
            .WithInput([.. input])
            .RunHandler(mode, run =>
            {
                var handles = new List<NotificationHandle>();
                for (var i = 1u; i <= runs; i++)
                {
                    var handle = run.StateMachine.SysRun($"r{i}");
                    Assert.True(handle.Replayed);
                    handles.Add(handle.Handle);
                }
                run.AwaitCompleted(Fut.Of(CombinatorKind.AllSucceededOrFirstFailed, [.. handles]));
                for (var i = 0; i < handles.Count; i++)
                {
                    Values.AssertSuccess($"\"v{i + 1}\"", run.Take(handles[i]));
                }
                run.Finish();
            })
            .Is(Expect.Finished());
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void DoProgress_AllOfMany_ScrambledArrivals_ResolvesOnlyAtTheLastOne(Mode mode)
    {
        // 60 promises, all but p41 arrive (scrambled); the all-of needs p41, then takes every value in child order.
        const uint count = 60;
        var arrivals = Enumerable.Range(1, 60).Select(i => (uint)(13 * i % 61)).Where(id => id != 41).ToArray();
        var output = WithNotifications([.. arrivals.Select(Succeed)])
            .Run(mode, run =>
            {
                var h = Promises(run, count);
                var all = Fut.Of(CombinatorKind.AllSucceededOrFirstFailed, h);
                if (run.AwaitBlocks(all))
                {
                    Assert.All(arrivals, id => Assert.True(run.StateMachine.IsReady(h[id - 1])));
                    run.Feed(Succeed(41));
                    run.AwaitCompleted(all);
                    for (var i = 0; i < h.Length; i++)
                    {
                        Values.AssertSuccess((i + 1).ToString(CultureInfo.InvariantCulture), run.Take(h[i]));
                    }
                    run.Finish();
                }
            });

        output.Is([.. GetPromises(count), .. BlockedTail(mode, [41])]);
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void DoProgress_AllOfMany_SeveralFailures_StopsAtTheFirstFailureToArrive(Mode mode)
    {
        // p30 fails before p5 does: the all-of resolves on p30's failure and leaves p5's (and p50's success) queued,
        // so the only failed child the SDK can see is p30, although p5 comes first in child order.
        WithNotifications(Succeed(12), Succeed(1), Reject(30), Reject(5), Succeed(50))
            .Run(mode, run =>
            {
                var h = Promises(run, 50);
                run.AwaitCompleted(Fut.Of(CombinatorKind.AllSucceededOrFirstFailed, h));
                Assert.Equal([h[0], h[11], h[29]], h.Where(run.StateMachine.IsReady));
                Values.AssertFailure(500, "p30 failed", run.Take(h[29]));

                // The next await promotes p5 (then stops): both failures are ready, and the lowest index is p5.
                run.AwaitCompleted(Fut.Of(CombinatorKind.AllSucceededOrFirstFailed, h[4]));
                Values.AssertFailure(500, "p5 failed", run.Take(h[4]));
                Assert.False(run.StateMachine.IsReady(h[49]));
            });
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void DoProgress_RaceOverMany_ResolvesOnTheFirstArrivalAndLeavesTheRestQueued(Mode mode)
    {
        WithNotifications(Reject(37), Succeed(12), Succeed(3))
            .Run(mode, run =>
            {
                var h = Promises(run, 40);
                run.AwaitCompleted(Fut.Of(CombinatorKind.FirstCompleted, h));
                Assert.Equal([h[36]], h.Where(run.StateMachine.IsReady));

                // Results promoted by earlier awaits are all visible to the next race: p37 (still untaken) and p12.
                run.AwaitCompleted(h[11]);
                run.AwaitCompleted(Fut.Of(CombinatorKind.FirstCompleted, h));
                Assert.Equal([h[11], h[36]], h.Where(run.StateMachine.IsReady));
                Values.AssertSuccess("12", run.Take(h[11]));
                Values.AssertFailure(500, "p37 failed", run.Take(h[36]));
            });
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void DoProgress_AnyOfMany_FailuresThenSuccess_StopsAtTheSuccess(Mode mode)
    {
        WithNotifications(Reject(20), Reject(2), Succeed(33), Succeed(1), Reject(7))
            .Run(mode, run =>
            {
                var h = Promises(run, 40);
                run.AwaitCompleted(Fut.Of(CombinatorKind.FirstSucceededOrAllFailed, h));
                Assert.Equal([h[1], h[19], h[32]], h.Where(run.StateMachine.IsReady));
                Values.AssertSuccess("33", run.Take(h[32]));
            });
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void DoProgress_AnyOverRace_RaceOutcomeFollowsItsEarliestSettledChild(Mode mode)
    {
        // FirstSucceededOrAllFailed([FirstCompleted([p1, p2]), p3]): p2 fails, so the race reads as failed; then p1
        // succeeds, and the race now reads as p1's success (child order, not arrival order), which resolves the any-of
        // without waiting for p3.
        WithNotifications(Reject(2), Succeed(1), Reject(3))
            .Run(mode, run =>
            {
                var h = Promises(run, 3);
                run.AwaitCompleted(Fut.Of(CombinatorKind.FirstSucceededOrAllFailed,
                    Fut.Of(CombinatorKind.FirstCompleted, h[0], h[1]), Fut.One(h[2])));
                Assert.Equal([h[0], h[1]], h.Where(run.StateMachine.IsReady));
            });
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void DoProgress_AllOverRace_RaceFlipsToTheEarlierChildsFailure(Mode mode)
    {
        // AllSucceededOrFirstFailed([FirstCompleted([p1, p2]), p3]): p2 succeeds (the race succeeds), then p1 fails and
        // the race reads as p1's failure, which fails the all-of before p3 arrives.
        WithNotifications(Succeed(2), Reject(1), Succeed(3))
            .Run(mode, run =>
            {
                var h = Promises(run, 3);
                run.AwaitCompleted(Fut.Of(CombinatorKind.AllSucceededOrFirstFailed,
                    Fut.Of(CombinatorKind.FirstCompleted, h[0], h[1]), Fut.One(h[2])));
                Assert.Equal([h[0], h[1]], h.Where(run.StateMachine.IsReady));
            });
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void DoProgress_NestedBranchSettlesThenUnsettles_WaitsForWhatTheTreeStillNeeds(Mode mode)
    {
        // AllCompleted([FirstCompleted([A, p5]), p4]) with A = FirstSucceededOrAllFailed([FirstCompleted([p1, p2]), p3]).
        // p2 succeeds: A succeeds. p1 fails: the inner race now reads as failed, so A is pending again, and so is the
        // outer race. p4 alone then does not resolve the root; p5 does, and p3 stays unneeded.
        var output = WithNotifications(Succeed(2), Reject(1), Succeed(4))
            .Run(mode, run =>
            {
                var h = Promises(run, 5);
                var a = Fut.Of(CombinatorKind.FirstSucceededOrAllFailed,
                    Fut.Of(CombinatorKind.FirstCompleted, h[0], h[1]), Fut.One(h[2]));
                var tree = Fut.Of(CombinatorKind.AllCompleted, Fut.Of(CombinatorKind.FirstCompleted, a, Fut.One(h[4])), Fut.One(h[3]));
                if (run.AwaitBlocks(tree))
                {
                    run.Feed(Succeed(5));
                    run.AwaitCompleted(tree);
                    Assert.Equal([h[0], h[1], h[3], h[4]], h.Where(run.StateMachine.IsReady));
                    run.Finish();
                }
            });

        output.Is([.. GetPromises(5), .. BlockedTail(mode, [3, 5])]);
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void DoProgress_RaceWhoseEarliestSettledChildUnsettles_FallsBackToTheNextSettledChild(Mode mode)
    {
        // The same tree. p2 succeeds (A succeeds, and decides the outer race), p5 succeeds, p1 fails (A is pending
        // again, so the outer race now reads as p5's success); p4 then resolves the root, and p3 stays queued.
        WithNotifications(Succeed(2), Succeed(5), Reject(1), Succeed(4), Reject(3))
            .Run(mode, run =>
            {
                var h = Promises(run, 5);
                var a = Fut.Of(CombinatorKind.FirstSucceededOrAllFailed,
                    Fut.Of(CombinatorKind.FirstCompleted, h[0], h[1]), Fut.One(h[2]));
                run.AwaitCompleted(Fut.Of(CombinatorKind.AllCompleted, Fut.Of(CombinatorKind.FirstCompleted, a, Fut.One(h[4])), Fut.One(h[3])));
                Assert.Equal([h[0], h[1], h[3], h[4]], h.Where(run.StateMachine.IsReady));
            });
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void DoProgress_SameHandleTwiceInAnAllOf_OneNotificationSettlesBoth(Mode mode)
    {
        var output = WithNotifications(Succeed(1))
            .Run(mode, run =>
            {
                var h = Promises(run, 2);
                var all = Fut.Of(CombinatorKind.AllSucceededOrFirstFailed, h[0], h[1], h[0]);
                if (run.AwaitBlocks(all))
                {
                    run.Feed(Succeed(2));
                    run.AwaitCompleted(all);
                    run.Finish();
                }
            });

        output.Is([.. GetPromises(2), .. BlockedTail(mode, [2])]);
    }

    private static byte[] Succeed(uint completionId) =>
        Frames.Notification(MessageType.GetPromiseCompletionNotification, completionId: completionId,
            value: completionId.ToString(CultureInfo.InvariantCulture));

    private static byte[] Reject(uint completionId) =>
        Frames.Notification(MessageType.GetPromiseCompletionNotification, completionId: completionId,
            failure: Frames.Fail(500, $"p{completionId} failed"));

    private static StateMachineTestCase WithNotifications(params byte[][] notifications) =>
        StateMachineTestCase.Create().WithInput(Frames.Start(1, key: "wf"), Frames.Input("1")).WithInput(notifications);

    /// <summary>Workflow promises p1..p<paramref name="count"/>, on completion ids 1..count.</summary>
    private static NotificationHandle[] Promises(VmRun run, uint count)
    {
        run.Input();
        return [.. Enumerable.Range(1, (int)count).Select(i => run.StateMachine.SysGetPromise($"p{i}"))];
    }

    private static ExpectedFrame[] GetPromises(uint count) =>
        [.. Enumerable.Range(1, (int)count).Select(i => Expect.GetPromise((uint)i, $"p{i}"))];

    /// <summary>Request/response: suspended on the still-unresolved completions (and cancel). Bidi: finished.</summary>
    private static ExpectedFrame[] BlockedTail(Mode mode, uint[] pending) =>
        mode == Mode.RequestResponse ? [Expect.Suspension(completions: pending, signals: [1])] : Expect.Finished();
}

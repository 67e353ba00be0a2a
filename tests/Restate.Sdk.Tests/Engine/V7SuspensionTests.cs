using Google.Protobuf;
using Restate.Sdk.Engine;
using Restate.Sdk.Protocol;

namespace Restate.Sdk.Tests.Engine;

/// <summary>
/// Protocol V7 suspensions: the SuspensionMessage carries the awaited tree (field 4) instead of flat id lists, and the
/// runtime resumes only when that tree resolves. Leaves are workflow promises (completion ids 1, 2, 3) and
/// awakeables (signal ids 17, 18). In bidi mode the input is closed before the await, which is when bidi suspends.
/// </summary>
public sealed class V7SuspensionTests
{
    private static readonly ExpectedFrame[] ThreePromises =
        [Expect.GetPromise(1, "p1"), Expect.GetPromise(2, "p2"), Expect.GetPromise(3, "p3")];

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void Suspend_SingleSleep_FirstCompletedOfSleepAndCancel(Mode mode)
    {
        V7()
            .RunHandler(mode, run =>
            {
                var sleep = run.StateMachine.SysSleep(DateTimeOffset.FromUnixTimeMilliseconds(1), "");
                Suspends(run, Fut.One(sleep));
            })
            .Is(Expect.Sleep(1, 1), Expect.SuspensionV7(Wire.Node(CombinatorType.FirstCompleted, completions: [1], signals: [1])));
    }

    [Theory]
    [InlineData(Mode.RequestResponse, "AllSucceededOrFirstFailed", "AllSucceededOrFirstFailed")]
    [InlineData(Mode.RequestResponse, "FirstSucceededOrAllFailed", "FirstSucceededOrAllFailed")]
    [InlineData(Mode.RequestResponse, "FirstCompleted", "FirstCompleted")]
    [InlineData(Mode.RequestResponse, "AllCompleted", "AllCompleted")]
    [InlineData(Mode.RequestResponse, "Unknown", "Unknown")]
    [InlineData(Mode.Bidi, "AllSucceededOrFirstFailed", "AllSucceededOrFirstFailed")]
    [InlineData(Mode.Bidi, "FirstSucceededOrAllFailed", "FirstSucceededOrAllFailed")]
    [InlineData(Mode.Bidi, "FirstCompleted", "FirstCompleted")]
    [InlineData(Mode.Bidi, "AllCompleted", "AllCompleted")]
    [InlineData(Mode.Bidi, "Unknown", "Unknown")]
    public void Suspend_Combinator_SendsItsKindWithTheCancelSignalBeside(Mode mode, string kind, string wire)
    {
        V7()
            .Run(mode, run => Suspends(run, Fut.Of(Enum.Parse<CombinatorKind>(kind), Promises(run))))
            .Is([.. ThreePromises, Expect.SuspensionV7(Wire.OrCancel(Wire.Node(Enum.Parse<CombinatorType>(wire), completions: [1, 2, 3])))]);
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void Suspend_NestedCombinators_KeepTheirShape(Mode mode)
    {
        // all(p1, race(p2, awakeable), any(p3, awakeable'))
        V7()
            .Run(mode, run =>
            {
                var h = Promises(run);
                var (_, a1) = run.StateMachine.SysAwakeable();
                var (_, a2) = run.StateMachine.SysAwakeable();
                Suspends(run, Fut.Of(CombinatorKind.AllSucceededOrFirstFailed,
                    Fut.One(h[0]),
                    Fut.Of(CombinatorKind.FirstCompleted, h[1], a1),
                    Fut.Of(CombinatorKind.FirstSucceededOrAllFailed, h[2], a2)));
            })
            .Is([.. ThreePromises, Expect.SuspensionV7(Wire.OrCancel(
                Wire.Node(CombinatorType.AllSucceededOrFirstFailed, completions: [1], nested:
                [
                    Wire.Node(CombinatorType.FirstCompleted, completions: [2], signals: [17]),
                    Wire.Node(CombinatorType.FirstSucceededOrAllFailed, completions: [3], signals: [18]),
                ])))]);
    }

    [Fact]
    public void Suspend_SettledParts_AreLeftOut()
    {
        // p1 succeeded (done inside the all-of), p2 failed (cannot decide the any-of while p3 is pending).
        V7()
            .WithInput(Succeed(1), Reject(2))
            .Run(run =>
            {
                var h = Promises(run);
                var (_, awakeable) = run.StateMachine.SysAwakeable();
                run.AwaitSuspends(Fut.Of(CombinatorKind.AllSucceededOrFirstFailed,
                    Fut.Of(CombinatorKind.AllCompleted, h[0], awakeable),
                    Fut.Of(CombinatorKind.FirstSucceededOrAllFailed, h[1], h[2])));
            })
            .Is([.. ThreePromises, Expect.SuspensionV7(Wire.OrCancel(
                Wire.Node(CombinatorType.AllSucceededOrFirstFailed, nested:
                [
                    Wire.Node(CombinatorType.AllCompleted, signals: [17]),
                    Wire.Node(CombinatorType.FirstSucceededOrAllFailed, completions: [3]),
                ])))]);
    }

    [Fact]
    public void Suspend_ImplicitCancellationDisabled_OnlyTheAwaitedTree()
    {
        StateMachineTestCase.Create(7, implicitCancellation: false)
            .WithInput(Frames.Start(1, key: "wf"), Frames.Input("1"))
            .Run(run => run.AwaitSuspends(Fut.Of(CombinatorKind.AllCompleted, Promises(run))))
            .Is([.. ThreePromises, Expect.SuspensionV7(Wire.Node(CombinatorType.AllCompleted, completions: [1, 2, 3]))]);
    }

    [Fact]
    public void Suspend_CancelWaitingForChildInvocationId_AwaitsOnlyTheId()
    {
        // The cancel signal arrived; the child's id is needed to cancel it, and signal 1 is no longer awaited.
        var output = StateMachineTestCase.Started(7)
            .WithInput(Frames.Cancel())
            .RunHandler(run =>
            {
                var call = run.StateMachine.SysCall(new CallAddress("Child", "work", null), Frames.Utf8("1"), null, null, "");
                run.AwaitSuspends(Fut.One(call.Result));
            });

        output.Is(
            Expect.Command(MessageType.CallCommand, new CallCommandMessage
            {
                ServiceName = "Child",
                HandlerName = "work",
                Parameter = ByteString.CopyFromUtf8("1"),
                InvocationIdNotificationIdx = 1,
                ResultCompletionId = 2,
            }),
            Expect.SuspensionV7(Wire.Node(CombinatorType.AllCompleted, completions: [1])));
    }

    [Fact]
    public void Suspend_V6_StaysFlatWhateverTheTree()
    {
        StateMachineTestCase.Create(6)
            .WithInput(Frames.Start(1, key: "wf"), Frames.Input("1"))
            .Run(run =>
            {
                var h = Promises(run);
                run.AwaitSuspends(Fut.Of(CombinatorKind.AllSucceededOrFirstFailed, Fut.One(h[0]), Fut.Of(CombinatorKind.FirstCompleted, h[1], h[2])));
            })
            .Is([.. ThreePromises, Expect.Suspension(completions: [1, 2, 3], signals: [1])]);
    }

    [Fact]
    public void Suspend_V7_PayloadIsOnlyField4()
    {
        var output = V7().Run(run => run.AwaitSuspends(Fut.One(Promises(run)[0])));
        Assert.Equal([4], Frames.FieldNumbers(output.Frames[^1].Payload));
    }

    private static void Suspends(VmRun run, UnresolvedFuture future)
    {
        if (run.IsBidi)
        {
            run.StateMachine.NotifyInputClosed();
        }
        run.AwaitSuspends(future);
    }

    private static StateMachineTestCase V7() => StateMachineTestCase.Create(7).WithInput(Frames.Start(1, key: "wf"), Frames.Input("1"));

    private static NotificationHandle[] Promises(VmRun run)
    {
        run.Input();
        return [run.StateMachine.SysGetPromise("p1"), run.StateMachine.SysGetPromise("p2"), run.StateMachine.SysGetPromise("p3")];
    }

    private static byte[] Succeed(uint completionId) =>
        Frames.Notification(MessageType.GetPromiseCompletionNotification, completionId: completionId, value: "1");

    private static byte[] Reject(uint completionId) =>
        Frames.Notification(MessageType.GetPromiseCompletionNotification, completionId: completionId, failure: Frames.Fail(500, "failed"));
}

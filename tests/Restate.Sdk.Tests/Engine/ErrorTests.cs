using Google.Protobuf;
using Restate.Sdk.Engine;
using Restate.Sdk.Protocol;

namespace Restate.Sdk.Tests.Engine;

public sealed class ErrorTests
{
    private static readonly CallAddress Greeter = new("Greeter", "greet", null);

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void SysCall_JournalHasOtherCommandType_Fails570WithRelatedCommand(Mode mode)
    {
        var output = StateMachineTestCase.Replaying(Frames.Command(MessageType.SleepCommand, Expect.Sleep(1, 10).Message))
            .RunHandler(mode, run =>
            {
                var e = Assert.Throws<StateMachineException>(() => run.StateMachine.SysCall(Greeter, Frames.Utf8("1"), null, null, ""));
                Assert.Equal(ErrorCodes.JournalMismatch, e.Code);
            });

        var error = output.EndsWithError();
        Assert.Equal(570u, error.Code);
        Assert.Equal(1u, error.RelatedCommandIndex);
        Assert.Equal((uint)MessageType.CallCommand, error.RelatedCommandType);
        Assert.Contains("SleepCommand", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SysStateSet_JournalHasSameTypeOtherPayload_Fails570()
    {
        var journaled = new SetStateCommandMessage { Key = ByteString.CopyFromUtf8("k"), Value = Frames.Value("\"before\"") };
        var output = StateMachineTestCase.Replaying(Frames.Command(MessageType.SetStateCommand, journaled))
            .RunHandler(run =>
            {
                var e = Assert.Throws<StateMachineException>(() => run.StateMachine.SysStateSet("k", Frames.Utf8("\"after\"")));
                Assert.Equal(ErrorCodes.JournalMismatch, e.Code);
            });

        var error = output.EndsWithError();
        Assert.Equal(570u, error.Code);
        Assert.Equal(1u, error.RelatedCommandIndex);
        Assert.Equal((uint)MessageType.SetStateCommand, error.RelatedCommandType);
    }

    [Theory]
    [InlineData("other-name", 1u)]
    [InlineData("nap", 2u)]
    public void SysSleep_JournalHasOtherNameOrCompletionId_Fails570(string journaledName, uint journaledCompletionId)
    {
        var output = StateMachineTestCase.Replaying(
                Frames.Command(MessageType.SleepCommand, Expect.Sleep(journaledCompletionId, 10, journaledName).Message))
            .RunHandler(run =>
            {
                Assert.Throws<StateMachineException>(() => run.StateMachine.SysSleep(DateTimeOffset.FromUnixTimeMilliseconds(10), "nap"));
            });

        Assert.Equal(570u, output.EndsWithError().Code);
    }

    [Fact]
    public void SysStateGet_JournalHasLazyGetOfOtherKey_Fails570()
    {
        var journaled = new GetLazyStateCommandMessage { Key = ByteString.CopyFromUtf8("my-key"), ResultCompletionId = 1 };
        var output = StateMachineTestCase.Replaying(Frames.Command(MessageType.GetLazyStateCommand, journaled))
            .RunHandler(run =>
            {
                Assert.Throws<StateMachineException>(() => run.StateMachine.SysStateGet("another-key"));
            });

        var error = output.EndsWithError();
        Assert.Equal(570u, error.Code);
        Assert.Equal(1u, error.RelatedCommandIndex);
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void DoProgress_DuringReplayWithoutJournaledResult_Fails570(Mode mode)
    {
        var output = StateMachineTestCase.Replaying(
                Frames.Command(MessageType.SleepCommand, Expect.Sleep(1, 10).Message),
                Frames.Command(MessageType.OutputCommand, Expect.Output("1").Message))
            .RunHandler(mode, run =>
            {
                var sleep = run.StateMachine.SysSleep(DateTimeOffset.FromUnixTimeMilliseconds(10), "");
                Assert.Equal(StateMachineState.Replaying, run.StateMachine.State);
                var e = Assert.Throws<StateMachineException>(() => run.Await(sleep));
                Assert.Equal(ErrorCodes.JournalMismatch, e.Code);
            });

        var error = output.EndsWithError();
        Assert.Equal(570u, error.Code);
        // No command relates to a missing notification of a sleep: no related command rather than a wrong one.
        Assert.False(error.HasRelatedCommandIndex);
        Assert.False(error.HasRelatedCommandType);
    }

    [Fact]
    public void DoProgress_DuringReplayAwaitingUnfinishedRun_Fails570RelatedToTheRun()
    {
        var output = StateMachineTestCase.Replaying(
                Frames.Command(MessageType.RunCommand, Expect.Run(1, "charge").Message),
                Frames.Command(MessageType.OutputCommand, Expect.Output("1").Message))
            .RunHandler(run =>
            {
                var handle = run.StateMachine.SysRun("charge");
                Assert.False(handle.Replayed);
                // Never ExecuteRun while replaying: the journal says the code moved on without this result.
                Assert.Equal(ErrorCodes.JournalMismatch, Assert.Throws<StateMachineException>(() => run.Await(handle.Handle)).Code);
            });

        var error = output.EndsWithError();
        Assert.Equal(570u, error.Code);
        Assert.Equal(1u, error.RelatedCommandIndex);
        Assert.Equal((uint)MessageType.RunCommand, error.RelatedCommandType);
        Assert.Equal("charge", error.RelatedCommandName);
        Assert.Contains("run 'charge'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SysEnd_WhileReplaying_Fails570()
    {
        var output = StateMachineTestCase.Replaying(Frames.Command(MessageType.OutputCommand, Expect.Output("1").Message))
            .RunHandler(run =>
            {
                Assert.Equal(ErrorCodes.JournalMismatch, Assert.Throws<StateMachineException>(run.StateMachine.SysEnd).Code);
            });

        Assert.Equal(570u, output.EndsWithError().Code);
    }

    [Fact]
    public void NotifyInputClosed_TruncatedFrameBeforeJournalComplete_Fails571()
    {
        var sleep = Frames.Command(MessageType.SleepCommand, Expect.Sleep(1, 10).Message);
        var output = StateMachineTestCase.Replaying(sleep[..5])
            .Run(Mode.RequestResponse, run =>
            {
                var e = Assert.Throws<StateMachineException>(() => run.StateMachine.IsReadyToExecute());
                Assert.Equal(ErrorCodes.ProtocolViolation, e.Code);
                Assert.Same(e, Assert.Throws<StateMachineException>(() => run.Input()));
            });

        var error = output.EndsWithError();
        Assert.Equal(571u, error.Code);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NotifyInputClosed_MissingEntries_Fails571()
    {
        var output = StateMachineTestCase.Create()
            .WithInput(Frames.Start(3), Frames.Input("1"))
            .Run(Mode.RequestResponse, run =>
                Assert.Equal(ErrorCodes.ProtocolViolation, Assert.Throws<StateMachineException>(() => run.StateMachine.IsReadyToExecute()).Code));

        Assert.Equal(571u, output.EndsWithError().Code);
    }

    [Theory]
    [InlineData(Mode.RequestResponse, (ushort)0x0009)] // unknown control type
    [InlineData(Mode.Bidi, (ushort)0x0009)]
    [InlineData(Mode.Bidi, (ushort)0x0001)] // a SuspensionMessage is never sent by the runtime
    [InlineData(Mode.Bidi, (ushort)0xFC00)] // custom range
    public void NotifyInput_UnexpectedFrameType_Fails571(Mode mode, ushort type)
    {
        var output = StateMachineTestCase.Replaying(Frames.Encode((MessageType)type, new EndMessage()))
            .Run(mode, run =>
                Assert.Equal(ErrorCodes.ProtocolViolation, Assert.Throws<StateMachineException>(() => run.StateMachine.IsReadyToExecute()).Code));

        Assert.Equal(571u, output.EndsWithError().Code);
    }

    [Fact]
    public void NotifyInput_GarbageHeader_Fails571()
    {
        // A header announcing an unknown control type with a random length, followed by noise.
        byte[] garbage = [0x03, 0x7F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xDE, 0xAD];
        var output = StateMachineTestCase.Replaying(garbage)
            .Run(Mode.Bidi, run => Assert.Throws<StateMachineException>(() => run.StateMachine.IsReadyToExecute()));

        Assert.Equal(571u, output.EndsWithError().Code);
    }

    [Fact]
    public void NotifyInput_UndecodablePayload_Fails571()
    {
        byte[] bad = [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xFF, 0xFF]; // Start with an invalid protobuf
        var output = StateMachineTestCase.Create()
            .WithInput(bad)
            .Run(Mode.Bidi, run => Assert.Throws<StateMachineException>(() => run.StateMachine.IsReadyToExecute()));

        Assert.Equal(571u, output.EndsWithError().Code);
    }

    [Fact]
    public void NotifyInput_CommandAfterReplay_Fails571()
    {
        var output = StateMachineTestCase.Started()
            .RunHandler(Mode.Bidi, run =>
            {
                var sleep = run.StateMachine.SysSleep(DateTimeOffset.FromUnixTimeMilliseconds(10), "");
                run.Feed(Frames.Command(MessageType.SleepCommand, Expect.Sleep(1, 10).Message));
                var e = Assert.Throws<StateMachineException>(() => run.Await(sleep));
                Assert.Equal(ErrorCodes.ProtocolViolation, e.Code);
            });

        Assert.Equal(571u, output.EndsWithError(Expect.Sleep(1, 10)).Code);
    }

    [Fact]
    public void NotifyInput_CommandBeyondKnownEntries_Fails571()
    {
        var output = StateMachineTestCase.Started()
            .WithInput(Frames.Command(MessageType.SleepCommand, Expect.Sleep(1, 10).Message))
            .Run(run => Assert.Throws<StateMachineException>(() => run.StateMachine.IsReadyToExecute()));

        Assert.Equal(571u, output.EndsWithError().Code);
    }

    [Fact]
    public void NotifyInput_NotificationBeforeStart_Fails571()
    {
        var output = StateMachineTestCase.Create()
            .WithInput(Frames.Cancel())
            .Run(Mode.Bidi, run => Assert.Throws<StateMachineException>(() => run.StateMachine.IsReadyToExecute()));

        Assert.Equal(571u, output.EndsWithError().Code);
    }

    [Fact]
    public void NotifyInput_KnownEntriesZero_Fails()
    {
        var output = StateMachineTestCase.Create()
            .WithInput(Frames.Start(0))
            .Run(Mode.Bidi, run => Assert.Throws<StateMachineException>(() => run.StateMachine.IsReadyToExecute()));

        // shared-core reports this as 500 INTERNAL; this engine treats it as the runtime's protocol violation.
        Assert.Equal(571u, output.EndsWithError().Code);
    }

    [Theory]
    [InlineData(10_000_000u)]
    [InlineData(uint.MaxValue)]
    public void NotifyInput_HugeKnownEntries_PresizesLittleThenFails571WhenTheBodyEnds(uint knownEntries)
    {
        var stateMachine = new InvocationStateMachine(6);
        var start = Frames.Start(knownEntries);
        var input = Frames.Input("1");
        var before = GC.GetAllocatedBytesForCurrentThread();
        stateMachine.NotifyInput(start);
        stateMachine.NotifyInput(input);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // The replay queues are presized from known_entries only up to a cap (4,096 entries of 24 bytes each).
        Assert.InRange(allocated, 0, 512 * 1024);
        Assert.False(stateMachine.IsReadyToExecute());
        stateMachine.NotifyInputClosed();
        var e = Assert.Throws<StateMachineException>(() => stateMachine.IsReadyToExecute());
        Assert.Equal(ErrorCodes.ProtocolViolation, e.Code);
        Assert.Contains($"received 1 of {knownEntries} entries", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NotifyInput_SecondStart_Fails571()
    {
        var output = StateMachineTestCase.Create()
            .WithInput(Frames.Start(1), Frames.Start(1))
            .Run(Mode.Bidi, run => Assert.Throws<StateMachineException>(() => run.StateMachine.IsReadyToExecute()));

        Assert.Equal(571u, output.EndsWithError().Code);
    }

    [Fact]
    public void AfterError_EveryCallRethrowsTheStickyErrorAndNothingMoreIsWritten()
    {
        var output = StateMachineTestCase.Replaying(Frames.Command(MessageType.SleepCommand, Expect.Sleep(1, 10).Message))
            .RunHandler(Mode.Bidi, run =>
            {
                var sticky = Assert.Throws<StateMachineException>(() => run.StateMachine.SysGetPromise("p"));
                Assert.Equal(ErrorCodes.JournalMismatch, sticky.Code);
                Assert.Equal(MessageType.Error, Assert.Single(run.TakeOutput()).Type);
                Assert.Same(sticky, run.StateMachine.Failure);
                Assert.Equal(StateMachineState.Closed, run.StateMachine.State);

                var h = NotificationHandle.Cancel;
                Action[] calls =
                [
                    () => run.StateMachine.IsReadyToExecute(),
                    () => run.StateMachine.SysInput(),
                    () => run.StateMachine.SysStateGet("k"),
                    () => run.StateMachine.SysStateGetKeys(),
                    () => run.StateMachine.SysStateSet("k", Frames.Utf8("1")),
                    () => run.StateMachine.SysStateClear("k"),
                    () => run.StateMachine.SysStateClearAll(),
                    () => run.StateMachine.SysSleep(DateTimeOffset.UnixEpoch, ""),
                    () => run.StateMachine.SysCall(Greeter, Frames.Utf8("1"), null, null, ""),
                    () => run.StateMachine.SysSend(Greeter, Frames.Utf8("1"), null, null, null, ""),
                    () => run.StateMachine.SysAwakeable(),
                    () => run.StateMachine.SysCompleteAwakeable("sign_1x", Values.Success("1")),
                    () => run.StateMachine.CreateSignalHandle("s"),
                    () => run.StateMachine.SysCompleteSignal("inv", "s", Values.Success("1")),
                    () => run.StateMachine.SysGetPromise("p"),
                    () => run.StateMachine.SysPeekPromise("p"),
                    () => run.StateMachine.SysCompletePromise("p", Values.Success("1")),
                    () => run.StateMachine.SysRun("r"),
                    () => run.StateMachine.ProposeRunCompletion(h, new RunExitResult.Success(Frames.Utf8("1")), RetryPolicy.Infinite),
                    () => run.StateMachine.SysCancelInvocation("inv"),
                    () => run.StateMachine.SysAttachInvocation(new InvocationTarget.ById("inv")),
                    () => run.StateMachine.SysGetInvocationOutput(new InvocationTarget.ById("inv")),
                    () => run.StateMachine.SysWriteOutput(Values.Success("1")),
                    () => run.StateMachine.DoProgress(Fut.One(h)),
                    () => run.StateMachine.TakeNotification(h),
                ];
                foreach (var call in calls)
                {
                    Assert.Same(sticky, Assert.Throws<StateMachineException>(call));
                }

                // Input, closing, more errors and End are absorbed silently.
                run.Feed(Frames.Notification(MessageType.SleepCompletionNotification, completionId: 1, isVoid: true));
                run.StateMachine.NotifyInputClosed();
                run.StateMachine.NotifyError(500, "later failure");
                run.StateMachine.SysEnd();
                Assert.Same(sticky, run.StateMachine.Failure);
                Assert.Empty(run.TakeOutput());
            });

        Assert.Single(output.Frames);
    }

    [Fact]
    public void NotifyError_WritesErrorMessageWithAllFields()
    {
        var output = StateMachineTestCase.Started()
            .RunHandler(Mode.Bidi, run =>
            {
                run.StateMachine.SysSleep(DateTimeOffset.FromUnixTimeMilliseconds(10), "nap");
                run.StateMachine.NotifyError(500, "deserialization failed", "at Handler()",
                    run.StateMachine.LastCommand(MessageType.SleepCommand, "nap"), TimeSpan.FromMilliseconds(1500));
                Assert.Equal(StateMachineState.Closed, run.StateMachine.State);
                var e = Assert.Throws<StateMachineException>(() => run.StateMachine.SysSleep(DateTimeOffset.UnixEpoch, ""));
                Assert.Equal(500, e.Code);
            });

        var error = output.EndsWithError(Expect.Sleep(1, 10, "nap"));
        Assert.Equal(new ErrorMessage
        {
            Code = 500,
            Message = "deserialization failed",
            Stacktrace = "at Handler()",
            RelatedCommandIndex = 1,
            RelatedCommandType = (uint)MessageType.SleepCommand,
            RelatedCommandName = "nap",
            NextRetryDelay = 1500,
        }, error);
    }

    [Fact]
    public void NotifyError_MinimalFields_OnlyCodeAndMessage()
    {
        var output = StateMachineTestCase.Started()
            .RunHandler(run =>
            {
                run.StateMachine.NotifyError(500, "boom");
            });

        Assert.Equal(new ErrorMessage { Code = 500, Message = "boom" }, output.EndsWithError());
    }

    [Fact]
    public void NotifyError_AfterSuspension_WritesNothing()
    {
        var output = StateMachineTestCase.Started()
            .RunHandler(run =>
            {
                var sleep = run.StateMachine.SysSleep(DateTimeOffset.FromUnixTimeMilliseconds(10), "");
                run.AwaitSuspends(Fut.One(sleep));
                run.StateMachine.NotifyError(500, "connection lost");
                run.StateMachine.SysEnd();
            });

        output.Is(Expect.Sleep(1, 10), Expect.Suspension(completions: [1], signals: [1]));
    }

    [Fact]
    public void DoProgress_AfterSuspension_ThrowsClosed598()
    {
        StateMachineTestCase.Started()
            .RunHandler(run =>
            {
                var sleep = run.StateMachine.SysSleep(DateTimeOffset.FromUnixTimeMilliseconds(10), "");
                run.AwaitSuspends(Fut.One(sleep));
                Assert.Equal(ErrorCodes.Closed, Assert.Throws<StateMachineException>(() => run.Await(sleep)).Code);
                Assert.Equal(ErrorCodes.Closed, Assert.Throws<StateMachineException>(() => run.StateMachine.TakeNotification(sleep)).Code);
                Assert.Equal(ErrorCodes.Closed, Assert.Throws<StateMachineException>(() => run.StateMachine.SysStateSet("k", Frames.Utf8("1"))).Code);
                Assert.Null(run.StateMachine.Failure); // suspension is not an error
            });
    }

    [Fact]
    public void SysCall_EmptyIdempotencyKey_Rejected()
    {
        StateMachineTestCase.Started()
            .RunHandler(run =>
            {
                Assert.Throws<ArgumentException>(() => run.StateMachine.SysCall(Greeter, Frames.Utf8("1"), null, "", ""));
            })
            .Is();
    }
}

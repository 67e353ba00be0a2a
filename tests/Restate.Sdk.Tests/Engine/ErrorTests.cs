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
        var output = VmTestCase.Create()
            .WithInput(Frames.Start(2), Frames.Input("1"), Frames.Command(MessageType.SleepCommand, Expect.Sleep(1, 10).Message))
            .Run(mode, run =>
            {
                run.Input();
                var e = Assert.Throws<VmException>(() => run.Vm.SysCall(Greeter, Frames.Utf8("1"), null, null, ""));
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
        var output = VmTestCase.Create()
            .WithInput(Frames.Start(2), Frames.Input("1"), Frames.Command(MessageType.SetStateCommand, journaled))
            .Run(run =>
            {
                run.Input();
                var e = Assert.Throws<VmException>(() => run.Vm.SysStateSet("k", Frames.Utf8("\"after\"")));
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
        var output = VmTestCase.Create()
            .WithInput(Frames.Start(2), Frames.Input("1"),
                Frames.Command(MessageType.SleepCommand, Expect.Sleep(journaledCompletionId, 10, journaledName).Message))
            .Run(run =>
            {
                run.Input();
                Assert.Throws<VmException>(() => run.Vm.SysSleep(DateTimeOffset.FromUnixTimeMilliseconds(10), "nap"));
            });

        Assert.Equal(570u, output.EndsWithError().Code);
    }

    [Fact]
    public void SysStateGet_JournalHasLazyGetOfOtherKey_Fails570()
    {
        var journaled = new GetLazyStateCommandMessage { Key = ByteString.CopyFromUtf8("my-key"), ResultCompletionId = 1 };
        var output = VmTestCase.Create()
            .WithInput(Frames.Start(2), Frames.Input("1"), Frames.Command(MessageType.GetLazyStateCommand, journaled))
            .Run(run =>
            {
                run.Input();
                Assert.Throws<VmException>(() => run.Vm.SysStateGet("another-key"));
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
        var output = VmTestCase.Create()
            .WithInput(
                Frames.Start(3),
                Frames.Input("1"),
                Frames.Command(MessageType.SleepCommand, Expect.Sleep(1, 10).Message),
                Frames.Command(MessageType.OutputCommand, Expect.Output("1").Message))
            .Run(mode, run =>
            {
                run.Input();
                var sleep = run.Vm.SysSleep(DateTimeOffset.FromUnixTimeMilliseconds(10), "");
                Assert.Equal(VmState.Replaying, run.Vm.State);
                var e = Assert.Throws<VmException>(() => run.Await(sleep));
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
        var output = VmTestCase.Create()
            .WithInput(
                Frames.Start(3),
                Frames.Input("1"),
                Frames.Command(MessageType.RunCommand, Expect.Run(1, "charge").Message),
                Frames.Command(MessageType.OutputCommand, Expect.Output("1").Message))
            .Run(run =>
            {
                run.Input();
                var handle = run.Vm.SysRun("charge");
                Assert.False(handle.Replayed);
                // Never ExecuteRun while replaying: the journal says the code moved on without this result.
                Assert.Equal(ErrorCodes.JournalMismatch, Assert.Throws<VmException>(() => run.Await(handle.Handle)).Code);
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
        var output = VmTestCase.Create()
            .WithInput(Frames.Start(2), Frames.Input("1"), Frames.Command(MessageType.OutputCommand, Expect.Output("1").Message))
            .Run(run =>
            {
                run.Input();
                Assert.Equal(ErrorCodes.JournalMismatch, Assert.Throws<VmException>(run.Vm.SysEnd).Code);
            });

        Assert.Equal(570u, output.EndsWithError().Code);
    }

    [Fact]
    public void NotifyInputClosed_TruncatedFrameBeforeJournalComplete_Fails571()
    {
        var sleep = Frames.Command(MessageType.SleepCommand, Expect.Sleep(1, 10).Message);
        var output = VmTestCase.Create()
            .WithInput(Frames.Start(2), Frames.Input("1"), sleep[..5])
            .Run(Mode.RequestResponse, run =>
            {
                var e = Assert.Throws<VmException>(() => run.Vm.IsReadyToExecute());
                Assert.Equal(ErrorCodes.ProtocolViolation, e.Code);
                Assert.Same(e, Assert.Throws<VmException>(() => run.Input()));
            });

        var error = output.EndsWithError();
        Assert.Equal(571u, error.Code);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NotifyInputClosed_MissingEntries_Fails571()
    {
        var output = VmTestCase.Create()
            .WithInput(Frames.Start(3), Frames.Input("1"))
            .Run(Mode.RequestResponse, run =>
                Assert.Equal(ErrorCodes.ProtocolViolation, Assert.Throws<VmException>(() => run.Vm.IsReadyToExecute()).Code));

        Assert.Equal(571u, output.EndsWithError().Code);
    }

    [Theory]
    [InlineData(Mode.RequestResponse, (ushort)0x0009)] // unknown control type
    [InlineData(Mode.Bidi, (ushort)0x0009)]
    [InlineData(Mode.Bidi, (ushort)0x0001)] // a SuspensionMessage is never sent by the runtime
    [InlineData(Mode.Bidi, (ushort)0xFC00)] // custom range
    public void NotifyInput_UnexpectedFrameType_Fails571(Mode mode, ushort type)
    {
        var output = VmTestCase.Create()
            .WithInput(Frames.Start(2), Frames.Input("1"), Frames.Encode((MessageType)type, new EndMessage()))
            .Run(mode, run =>
                Assert.Equal(ErrorCodes.ProtocolViolation, Assert.Throws<VmException>(() => run.Vm.IsReadyToExecute()).Code));

        Assert.Equal(571u, output.EndsWithError().Code);
    }

    [Fact]
    public void NotifyInput_GarbageHeader_Fails571()
    {
        // A header announcing an unknown control type with a random length, followed by noise.
        byte[] garbage = [0x03, 0x7F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xDE, 0xAD];
        var output = VmTestCase.Create()
            .WithInput(Frames.Start(2), Frames.Input("1"), garbage)
            .Run(Mode.Bidi, run => Assert.Throws<VmException>(() => run.Vm.IsReadyToExecute()));

        Assert.Equal(571u, output.EndsWithError().Code);
    }

    [Fact]
    public void NotifyInput_UndecodablePayload_Fails571()
    {
        byte[] bad = [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xFF, 0xFF]; // Start with an invalid protobuf
        var output = VmTestCase.Create()
            .WithInput(bad)
            .Run(Mode.Bidi, run => Assert.Throws<VmException>(() => run.Vm.IsReadyToExecute()));

        Assert.Equal(571u, output.EndsWithError().Code);
    }

    [Fact]
    public void NotifyInput_CommandAfterReplay_Fails571()
    {
        var output = VmTestCase.Create()
            .WithInput(Frames.Start(1), Frames.Input("1"))
            .Run(Mode.Bidi, run =>
            {
                run.Input();
                var sleep = run.Vm.SysSleep(DateTimeOffset.FromUnixTimeMilliseconds(10), "");
                run.Feed(Frames.Command(MessageType.SleepCommand, Expect.Sleep(1, 10).Message));
                var e = Assert.Throws<VmException>(() => run.Await(sleep));
                Assert.Equal(ErrorCodes.ProtocolViolation, e.Code);
            });

        Assert.Equal(571u, output.EndsWithError(Expect.Sleep(1, 10)).Code);
    }

    [Fact]
    public void NotifyInput_CommandBeyondKnownEntries_Fails571()
    {
        var output = VmTestCase.Create()
            .WithInput(Frames.Start(1), Frames.Input("1"), Frames.Command(MessageType.SleepCommand, Expect.Sleep(1, 10).Message))
            .Run(run => Assert.Throws<VmException>(() => run.Vm.IsReadyToExecute()));

        Assert.Equal(571u, output.EndsWithError().Code);
    }

    [Fact]
    public void NotifyInput_NotificationBeforeStart_Fails571()
    {
        var output = VmTestCase.Create()
            .WithInput(Frames.Cancel())
            .Run(Mode.Bidi, run => Assert.Throws<VmException>(() => run.Vm.IsReadyToExecute()));

        Assert.Equal(571u, output.EndsWithError().Code);
    }

    [Fact]
    public void NotifyInput_KnownEntriesZero_Fails()
    {
        var output = VmTestCase.Create()
            .WithInput(Frames.Start(0))
            .Run(Mode.Bidi, run => Assert.Throws<VmException>(() => run.Vm.IsReadyToExecute()));

        // shared-core reports this as 500 INTERNAL; this engine treats it as the runtime's protocol violation.
        Assert.Equal(571u, output.EndsWithError().Code);
    }

    [Theory]
    [InlineData(10_000_000u)]
    [InlineData(uint.MaxValue)]
    public void NotifyInput_HugeKnownEntries_PresizesLittleThenFails571WhenTheBodyEnds(uint knownEntries)
    {
        var vm = new InvocationStateMachine(6);
        var start = Frames.Start(knownEntries);
        var input = Frames.Input("1");
        var before = GC.GetAllocatedBytesForCurrentThread();
        vm.NotifyInput(start);
        vm.NotifyInput(input);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // The replay queues are presized from known_entries only up to a cap (4,096 entries of 24 bytes each).
        Assert.InRange(allocated, 0, 512 * 1024);
        Assert.False(vm.IsReadyToExecute());
        vm.NotifyInputClosed();
        var e = Assert.Throws<VmException>(() => vm.IsReadyToExecute());
        Assert.Equal(ErrorCodes.ProtocolViolation, e.Code);
        Assert.Contains($"received 1 of {knownEntries} entries", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NotifyInput_SecondStart_Fails571()
    {
        var output = VmTestCase.Create()
            .WithInput(Frames.Start(1), Frames.Start(1))
            .Run(Mode.Bidi, run => Assert.Throws<VmException>(() => run.Vm.IsReadyToExecute()));

        Assert.Equal(571u, output.EndsWithError().Code);
    }

    [Fact]
    public void AfterError_EveryCallRethrowsTheStickyErrorAndNothingMoreIsWritten()
    {
        var output = VmTestCase.Create()
            .WithInput(Frames.Start(2), Frames.Input("1"), Frames.Command(MessageType.SleepCommand, Expect.Sleep(1, 10).Message))
            .Run(Mode.Bidi, run =>
            {
                run.Input();
                var sticky = Assert.Throws<VmException>(() => run.Vm.SysGetPromise("p"));
                Assert.Equal(ErrorCodes.JournalMismatch, sticky.Code);
                Assert.Equal(MessageType.Error, Assert.Single(run.TakeOutput()).Type);
                Assert.Same(sticky, run.Vm.Failure);
                Assert.Equal(VmState.Closed, run.Vm.State);

                var h = NotificationHandle.Cancel;
                Action[] calls =
                [
                    () => run.Vm.IsReadyToExecute(),
                    () => run.Vm.SysInput(),
                    () => run.Vm.SysStateGet("k"),
                    () => run.Vm.SysStateGetKeys(),
                    () => run.Vm.SysStateSet("k", Frames.Utf8("1")),
                    () => run.Vm.SysStateClear("k"),
                    () => run.Vm.SysStateClearAll(),
                    () => run.Vm.SysSleep(DateTimeOffset.UnixEpoch, ""),
                    () => run.Vm.SysCall(Greeter, Frames.Utf8("1"), null, null, ""),
                    () => run.Vm.SysSend(Greeter, Frames.Utf8("1"), null, null, null, ""),
                    () => run.Vm.SysAwakeable(),
                    () => run.Vm.SysCompleteAwakeable("sign_1x", Values.Success("1")),
                    () => run.Vm.CreateSignalHandle("s"),
                    () => run.Vm.SysCompleteSignal("inv", "s", Values.Success("1")),
                    () => run.Vm.SysGetPromise("p"),
                    () => run.Vm.SysPeekPromise("p"),
                    () => run.Vm.SysCompletePromise("p", Values.Success("1")),
                    () => run.Vm.SysRun("r"),
                    () => run.Vm.ProposeRunCompletion(h, new RunExitResult.Success(Frames.Utf8("1")), RetryPolicy.Infinite),
                    () => run.Vm.SysCancelInvocation("inv"),
                    () => run.Vm.SysAttachInvocation(new InvocationTarget.ById("inv")),
                    () => run.Vm.SysGetInvocationOutput(new InvocationTarget.ById("inv")),
                    () => run.Vm.SysWriteOutput(Values.Success("1")),
                    () => run.Vm.DoProgress(Fut.One(h)),
                    () => run.Vm.TakeNotification(h),
                ];
                foreach (var call in calls)
                {
                    Assert.Same(sticky, Assert.Throws<VmException>(call));
                }

                // Input, closing, more errors and End are absorbed silently.
                run.Feed(Frames.Notification(MessageType.SleepCompletionNotification, completionId: 1, isVoid: true));
                run.Vm.NotifyInputClosed();
                run.Vm.NotifyError(500, "later failure");
                run.Vm.SysEnd();
                Assert.Same(sticky, run.Vm.Failure);
                Assert.Empty(run.TakeOutput());
            });

        Assert.Single(output.Frames);
    }

    [Fact]
    public void NotifyError_WritesErrorMessageWithAllFields()
    {
        var output = VmTestCase.Create()
            .WithInput(Frames.Start(1), Frames.Input("1"))
            .Run(Mode.Bidi, run =>
            {
                run.Input();
                run.Vm.SysSleep(DateTimeOffset.FromUnixTimeMilliseconds(10), "nap");
                run.Vm.NotifyError(500, "deserialization failed", "at Handler()",
                    run.Vm.LastCommand(MessageType.SleepCommand, "nap"), TimeSpan.FromMilliseconds(1500));
                Assert.Equal(VmState.Closed, run.Vm.State);
                var e = Assert.Throws<VmException>(() => run.Vm.SysSleep(DateTimeOffset.UnixEpoch, ""));
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
        var output = VmTestCase.Create()
            .WithInput(Frames.Start(1), Frames.Input("1"))
            .Run(run =>
            {
                run.Input();
                run.Vm.NotifyError(500, "boom");
            });

        Assert.Equal(new ErrorMessage { Code = 500, Message = "boom" }, output.EndsWithError());
    }

    [Fact]
    public void NotifyError_AfterSuspension_WritesNothing()
    {
        var output = VmTestCase.Create()
            .WithInput(Frames.Start(1), Frames.Input("1"))
            .Run(run =>
            {
                run.Input();
                var sleep = run.Vm.SysSleep(DateTimeOffset.FromUnixTimeMilliseconds(10), "");
                run.AwaitSuspends(Fut.One(sleep));
                run.Vm.NotifyError(500, "connection lost");
                run.Vm.SysEnd();
            });

        output.Is(Expect.Sleep(1, 10), Expect.Suspension(completions: [1], signals: [1]));
    }

    [Fact]
    public void DoProgress_AfterSuspension_ThrowsClosed598()
    {
        VmTestCase.Create()
            .WithInput(Frames.Start(1), Frames.Input("1"))
            .Run(run =>
            {
                run.Input();
                var sleep = run.Vm.SysSleep(DateTimeOffset.FromUnixTimeMilliseconds(10), "");
                run.AwaitSuspends(Fut.One(sleep));
                Assert.Equal(ErrorCodes.Closed, Assert.Throws<VmException>(() => run.Await(sleep)).Code);
                Assert.Equal(ErrorCodes.Closed, Assert.Throws<VmException>(() => run.Vm.TakeNotification(sleep)).Code);
                Assert.Equal(ErrorCodes.Closed, Assert.Throws<VmException>(() => run.Vm.SysStateSet("k", Frames.Utf8("1"))).Code);
                Assert.Null(run.Vm.Failure); // suspension is not an error
            });
    }

    [Fact]
    public void SysCall_EmptyIdempotencyKey_Rejected()
    {
        VmTestCase.Create()
            .WithInput(Frames.Start(1), Frames.Input("1"))
            .Run(run =>
            {
                run.Input();
                Assert.Throws<ArgumentException>(() => run.Vm.SysCall(Greeter, Frames.Utf8("1"), null, "", ""));
            })
            .Is();
    }
}

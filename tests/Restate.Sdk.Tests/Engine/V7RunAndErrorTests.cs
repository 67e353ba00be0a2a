using Restate.Sdk.Engine;
using Restate.Sdk.Protocol;

namespace Restate.Sdk.Tests.Engine;

/// <summary>
/// Protocol V7 runs (proposals ask for an acknowledgement, the runtime answers ProposeRunCompletionAck and the SDK
/// uses the value it proposed) and V7 error behaviour (retry, pause or fail), each against the V5/V6 behaviour.
/// </summary>
public sealed class V7RunAndErrorTests
{
    [Theory]
    [InlineData(5, false)]
    [InlineData(6, false)]
    [InlineData(7, true)]
    public void ProposeRunCompletion_RequestedAckFlag_OnlyUnderV7(int version, bool flagged)
    {
        var output = StateMachineTestCase.Started(version)
            .RunHandler(run =>
            {
                var handle = run.StateMachine.SysRun("r").Handle;
                run.Await(handle);
                run.StateMachine.ProposeRunCompletion(handle, new RunExitResult.Success(Frames.Utf8("1")), RetryPolicy.Infinite);
            });

        var proposal = output.Frames[^1];
        Assert.Equal(MessageType.ProposeRunCompletion, proposal.Type);
        Assert.Equal(flagged ? FrameHeader.RequestedAckFlag : (ushort)0, proposal.Flags);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Bidi_RunAck_CompletesTheRunWithTheProposedValue(bool terminalFailure)
    {
        StateMachineTestCase.Started(7)
            .RunHandler(Mode.Bidi, run =>
            {
                var handle = run.StateMachine.SysRun("side-effect").Handle;
                Assert.Equal(new AwaitResponse.ExecuteRun(handle), run.Await(handle));
                RunExitResult result = terminalFailure
                    ? new RunExitResult.Terminal(new TerminalFailure(418, "teapot"))
                    : new RunExitResult.Success(Frames.Utf8("\"result\""));
                run.StateMachine.ProposeRunCompletion(handle, result, RetryPolicy.Infinite);
                Assert.Equal(new AwaitResponse.WaitingExternalProgress(true, false), run.Await(handle));

                run.Feed(Ack(1));
                run.AwaitCompleted(handle);
                if (terminalFailure)
                {
                    Values.AssertFailure(418, "teapot", run.Take(handle));
                }
                else
                {
                    Values.AssertSuccess("\"result\"", run.Take(handle));
                }
                run.Finish();
            })
            .Is([
                Expect.Run(1, "side-effect"),
                terminalFailure ? Expect.ProposeRun(1, Frames.Fail(418, "teapot")) : Expect.ProposeRun(1, "\"result\""),
                .. Expect.Finished(),
            ]);
    }

    [Fact]
    public void Bidi_RunAck_ThenRunCompletionAtItsPositionOnReplay()
    {
        // The attempt after the ack: the journal holds the RunCompletionNotification where the ack was.
        StateMachineTestCase.Replaying(
                7,
                Frames.Command(MessageType.RunCommand, Expect.Run(1, "side-effect").Message),
                Frames.Notification(MessageType.RunCompletionNotification, completionId: 1, value: "\"result\""))
            .RunHandler(Mode.Bidi, run =>
            {
                var runHandle = run.StateMachine.SysRun("side-effect");
                Assert.True(runHandle.Replayed);
                run.AwaitCompleted(runHandle.Handle);
                Values.AssertSuccess("\"result\"", run.Take(runHandle.Handle));
                run.Finish();
            })
            .Is(Expect.Finished());
    }

    [Fact]
    public void RequestResponse_V7Proposal_SuspendsOnTheRunsCompletion()
    {
        // The runtime cannot answer in request/response mode: it journals the proposal and resumes the invocation.
        var output = StateMachineTestCase.Started(7)
            .RunHandler(Mode.RequestResponse, run =>
            {
                var handle = run.StateMachine.SysRun("r").Handle;
                Assert.Equal(new AwaitResponse.ExecuteRun(handle), run.Await(handle));
                run.StateMachine.ProposeRunCompletion(handle, new RunExitResult.Success(Frames.Utf8("1")), RetryPolicy.Infinite);
                run.AwaitSuspends(Fut.One(handle));
            });

        output.Is(Expect.Run(1, "r"), Expect.ProposeRun(1, "1"),
            Expect.SuspensionV7(Wire.Node(CombinatorType.FirstCompleted, completions: [1], signals: [1])));
        Assert.Equal(FrameHeader.RequestedAckFlag, output.Frames[1].Flags);
    }

    [Fact]
    public void Bidi_V7RuntimeEchoingTheNotification_StillCompletesTheRun()
    {
        StateMachineTestCase.Started(7)
            .RunHandler(Mode.Bidi, run =>
            {
                var handle = run.StateMachine.SysRun("r").Handle;
                run.Await(handle);
                run.StateMachine.ProposeRunCompletion(handle, new RunExitResult.Success(Frames.Utf8("1")), RetryPolicy.Infinite);
                run.Feed(Frames.Notification(MessageType.RunCompletionNotification, completionId: 1, value: "1"));
                run.AwaitCompleted(handle);
                Values.AssertSuccess("1", run.Take(handle));
                run.Finish();
            })
            .Is([Expect.Run(1, "r"), Expect.ProposeRun(1, "1"), .. Expect.Finished()]);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    public void RunAck_BeforeV7_IsAProtocolViolation(int version)
    {
        var output = StateMachineTestCase.Started(version)
            .RunHandler(Mode.Bidi, run =>
            {
                var handle = run.StateMachine.SysRun("r").Handle;
                run.Await(handle);
                run.StateMachine.ProposeRunCompletion(handle, new RunExitResult.Success(Frames.Utf8("1")), RetryPolicy.Infinite);
                run.Feed(Ack(1));
                Assert.Equal(ErrorCodes.ProtocolViolation, Assert.Throws<StateMachineException>(() => run.Await(handle)).Code);
            });

        var error = output.EndsWithError(Expect.Run(1, "r"), Expect.ProposeRun(1, "1"));
        Assert.Equal(571u, error.Code);
        Assert.Contains("protocol V7 message", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(9, Frames.FieldNumbers(output.Frames[^1].Payload));
    }

    [Fact]
    public void RunAck_ForARunNotProposed_IsAProtocolViolation()
    {
        var output = StateMachineTestCase.Started(7)
            .RunHandler(Mode.Bidi, run =>
            {
                run.Feed(Ack(3));
                Assert.Equal(ErrorCodes.ProtocolViolation,
                    Assert.Throws<StateMachineException>(() => run.StateMachine.SysSleep(DateTimeOffset.UnixEpoch, "")).Code);
            });

        Assert.Contains("completion id 3", output.EndsWithError().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RunAck_DuringTheJournal_IsAProtocolViolation()
    {
        var output = StateMachineTestCase.Create(7)
            .WithInput(Frames.Start(2), Ack(1))
            .Run(Mode.Bidi, run => Assert.Throws<StateMachineException>(() => run.StateMachine.IsReadyToExecute()));

        Assert.Equal(571u, output.EndsWithError().Code);
    }

    [Theory]
    [InlineData(Mode.RequestResponse, 7, OnJournalMismatch.Retry, 0)]
    [InlineData(Mode.RequestResponse, 7, OnJournalMismatch.Pause, 1)]
    [InlineData(Mode.RequestResponse, 7, OnJournalMismatch.Fail, 2)]
    [InlineData(Mode.RequestResponse, 6, OnJournalMismatch.Pause, 0)]
    [InlineData(Mode.RequestResponse, 6, OnJournalMismatch.Fail, 0)]
    [InlineData(Mode.RequestResponse, 5, OnJournalMismatch.Fail, 0)]
    [InlineData(Mode.Bidi, 7, OnJournalMismatch.Pause, 1)]
    [InlineData(Mode.Bidi, 7, OnJournalMismatch.Fail, 2)]
    [InlineData(Mode.Bidi, 6, OnJournalMismatch.Pause, 0)]
    public void JournalMismatch_SendsTheConfiguredBehaviourUnderV7Only(Mode mode, int version, OnJournalMismatch configured, int sentBehavior)
    {
        var sent = (ErrorBehavior)sentBehavior;
        var output = MismatchingRun(mode, version, configured);

        var error = output.EndsWithError();
        Assert.Equal(570u, error.Code);
        Assert.Equal(sent, error.Behavior);
        // Before V7 field 9 is never written, whatever the option.
        Assert.Equal(version >= 7 && sent != ErrorBehavior.Retry, Frames.FieldNumbers(output.Frames[^1].Payload).Contains(9));
        Assert.Equal(version < 7 && configured != OnJournalMismatch.Retry, output.StateMachine.MismatchBehaviorUnsent);
    }

    [Theory]
    [InlineData(7, OnJournalMismatch.Pause)]
    [InlineData(7, OnJournalMismatch.Fail)]
    public void OtherErrors_StayRetryWhateverTheMismatchOption(int version, OnJournalMismatch configured)
    {
        var output = new InvocationStateMachineRun(Mode.RequestResponse, version, configured).Run(sm =>
        {
            sm.SysInput();
            sm.NotifyError(500, "handler threw");
        });

        var error = output.EndsWithError();
        Assert.Equal(500u, error.Code);
        Assert.Equal(ErrorBehavior.Retry, error.Behavior);
        Assert.False(output.StateMachine.MismatchBehaviorUnsent);
    }

    [Theory]
    [InlineData(7, 1)]
    [InlineData(6, 0)]
    public void RunExhausted_WithPauseWhenExhausted_PausesUnderV7AndRetriesBefore(int version, int sentBehavior)
    {
        var sent = (ErrorBehavior)sentBehavior;
        var policy = RetryPolicy.FixedDelay(TimeSpan.FromSeconds(1)) with { MaxAttempts = 2, PauseWhenExhausted = true };
        var output = StateMachineTestCase.Create(version)
            .WithInput(Frames.Start(2, retryCount: 1, durationMs: 1000), Frames.Input("1"),
                Frames.Command(MessageType.RunCommand, Expect.Run(1, "flaky").Message))
            .RunHandler(run =>
            {
                var handle = run.StateMachine.SysRun("flaky").Handle;
                run.Await(handle);
                var e = Assert.Throws<StateMachineException>(() => run.StateMachine.ProposeRunCompletion(handle,
                    new RunExitResult.Retryable(500, "boom", null, TimeSpan.FromMilliseconds(5)), policy));
                Assert.Equal(ErrorBehavior.Pause, e.Behavior);
            });

        // Second failed attempt of the journaled run: no proposal, an ErrorMessage related to the run command.
        var error = output.EndsWithError();
        Assert.Equal(500u, error.Code);
        Assert.Equal(sent, error.Behavior);
        Assert.Equal("flaky", error.RelatedCommandName);
        Assert.Contains("pausing", error.Message, StringComparison.Ordinal);
        Assert.False(error.HasNextRetryDelay);
    }

    [Fact]
    public void RunExhausted_WithoutPause_StillJournalsTheTerminalFailureUnderV7()
    {
        var policy = RetryPolicy.FixedDelay(TimeSpan.FromSeconds(1)) with { MaxAttempts = 1 };
        StateMachineTestCase.Started(7)
            .RunHandler(run =>
            {
                var handle = run.StateMachine.SysRun("flaky").Handle;
                run.Await(handle);
                run.StateMachine.ProposeRunCompletion(handle, new RunExitResult.Retryable(500, "boom", null, TimeSpan.Zero), policy);
            })
            .Is(Expect.Run(1, "flaky"), Expect.ProposeRun(1, Frames.Fail(500, "Run 'flaky' failed after 1 attempt(s): boom")));
    }

    private static VmOutput MismatchingRun(Mode mode, int version, OnJournalMismatch configured) =>
        new InvocationStateMachineRun(mode, version, configured,
            Frames.Start(2), Frames.Input("1"), Frames.Command(MessageType.RunCommand, Expect.Run(1, "old").Message))
            .Run(sm =>
            {
                sm.SysInput();
                Assert.Equal(ErrorCodes.JournalMismatch, Assert.Throws<StateMachineException>(() => sm.SysRun("new")).Code);
            });

    private static byte[] Ack(uint completionId) =>
        Frames.Encode(MessageType.ProposeRunCompletionAck, new ProposeRunCompletionAckMessage { CompletionId = completionId });

    /// <summary>A run of a state machine built with a journal mismatch behaviour (input closed in request/response mode).</summary>
    private sealed class InvocationStateMachineRun(Mode mode, int version, OnJournalMismatch onMismatch, params byte[][] input)
    {
        public VmOutput Run(Action<InvocationStateMachine> body)
        {
            var stateMachine = new InvocationStateMachine(version, onJournalMismatch: onMismatch);
            foreach (var frame in input.Length == 0 ? [Frames.Start(1), Frames.Input("1")] : input)
            {
                stateMachine.NotifyInput(frame);
            }
            if (mode == Mode.RequestResponse)
            {
                stateMachine.NotifyInputClosed();
            }
            body(stateMachine);
            return new VmOutput(Frames.Decode(stateMachine.TakeOutput().Span, version), stateMachine);
        }
    }
}

using Google.Protobuf;
using Restate.Sdk.Engine;
using Restate.Sdk.Protocol;

namespace Restate.Sdk.Tests.Engine;

public sealed class RunTests
{
    private static readonly RetryPolicy OneSecond = RetryPolicy.FixedDelay(TimeSpan.FromSeconds(1));

    [Fact]
    public void SysRun_NotAwaited_NeverExecutes()
    {
        StateMachineTestCase.Started()
            .RunHandler(run =>
            {
                var runHandle = run.StateMachine.SysRun("lazy");
                Assert.False(runHandle.Replayed);
                var sleep = run.StateMachine.SysSleep(DateTimeOffset.FromUnixTimeMilliseconds(5), "");
                run.AwaitSuspends(Fut.One(sleep)); // awaiting something else never starts the run
            })
            .Is(Expect.Run(1, "lazy"), Expect.Sleep(2, 5), Expect.Suspension(completions: [2], signals: [1]));
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void DoProgress_AwaitedRun_ExecutesThenWaitsForItsCompletion(Mode mode)
    {
        var output = StateMachineTestCase.Started()
            .RunHandler(mode, run =>
            {
                var handle = run.StateMachine.SysRun("side-effect").Handle;
                Assert.Equal(new AwaitResponse.ExecuteRun(handle), run.Await(handle));
                // Asked again while the closure runs: wait for its proposal (and for input when the stream is open).
                Assert.Equal(new AwaitResponse.WaitingExternalProgress(run.IsBidi, true), run.Await(handle));

                run.StateMachine.ProposeRunCompletion(handle, new RunExitResult.Success(Frames.Utf8("\"result\"")), RetryPolicy.Infinite);
                var proposed = run.TakeOutput();
                Assert.Equal(MessageType.ProposeRunCompletion, proposed[^1].Type);
                Assert.Equal(0, proposed[^1].Flags); // no REQUESTED_ACK before protocol V7
                Assert.Equal([1, 14], Frames.FieldNumbers(proposed[^1].Payload));

                if (run.AwaitBlocks(handle))
                {
                    run.Feed(Frames.Notification(MessageType.RunCompletionNotification, completionId: 1, value: "\"result\""));
                    run.AwaitCompleted(handle);
                    Values.AssertSuccess("\"result\"", run.Take(handle));
                    run.Finish();
                }
            });

        ExpectedFrame[] tail = mode == Mode.RequestResponse
            ? [Expect.Suspension(completions: [1], signals: [1])]
            : Expect.Finished();
        output.Is([Expect.Run(1, "side-effect"), Expect.ProposeRun(1, "\"result\""), .. tail]);
    }

    [Fact]
    public void ProposeRunCompletion_Success_ValueIsRawBytes()
    {
        byte[] raw = [0x00, 0xFF, 0x0A, 0x01];
        var output = StateMachineTestCase.Started()
            .RunHandler(run =>
            {
                var handle = run.StateMachine.SysRun("bytes").Handle;
                run.Await(handle);
                run.StateMachine.ProposeRunCompletion(handle, new RunExitResult.Success(raw), RetryPolicy.Infinite);
            });

        var proposal = output.Frames[1].As<ProposeRunCompletionMessage>();
        Assert.Equal(raw, proposal.Value.ToByteArray());
        // Field 14 (tag 0x72), length 4, then the bytes themselves: no Value{content} wrapper.
        Assert.Equal([0x08, 0x01, 0x72, 0x04, .. raw], output.Frames[1].Payload);
    }

    [Fact]
    public void ProposeRunCompletion_EnteredNotifiedInputClosed_WaitsThenSuspends()
    {
        // Bidi stream that closes while the closure runs: the state machine waits for the proposal instead of suspending.
        StateMachineTestCase.Started()
            .RunHandler(Mode.Bidi, run =>
            {
                var handle = run.StateMachine.SysRun("r").Handle;
                Assert.IsType<AwaitResponse.ExecuteRun>(run.Await(handle));
                run.StateMachine.NotifyInputClosed();
                Assert.Equal(new AwaitResponse.WaitingExternalProgress(false, true), run.Await(handle));
                run.StateMachine.ProposeRunCompletion(handle, new RunExitResult.Success(Frames.Utf8("1")), RetryPolicy.Infinite);
                run.AwaitSuspends(Fut.One(handle));
            })
            .Is(Expect.Run(1, "r"), Expect.ProposeRun(1, "1"), Expect.Suspension(completions: [1], signals: [1]));
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void DoProgress_TwoAwaitedRuns_EachExecutedOnceInOrder(Mode mode)
    {
        StateMachineTestCase.Started()
            .RunHandler(mode, run =>
            {
                var first = run.StateMachine.SysRun("first").Handle;
                var second = run.StateMachine.SysRun("second").Handle;
                var all = Fut.Of(CombinatorKind.AllSucceededOrFirstFailed, first, second);
                Assert.Equal(new AwaitResponse.ExecuteRun(first), run.Await(all));
                Assert.Equal(new AwaitResponse.ExecuteRun(second), run.Await(all));
                Assert.Equal(new AwaitResponse.WaitingExternalProgress(run.IsBidi, true), run.Await(all));
            })
            .Is(Expect.Run(1, "first"), Expect.Run(2, "second"));
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void SysRun_ReplayedWithCompletion_ReplayedAndNothingWritten(Mode mode)
    {
        StateMachineTestCase.Replaying(
                Frames.Command(MessageType.RunCommand, Expect.Run(1, "r").Message),
                Frames.Notification(MessageType.RunCompletionNotification, completionId: 1, value: "\"stored\""))
            .RunHandler(mode, run =>
            {
                var handle = run.StateMachine.SysRun("r");
                Assert.True(handle.Replayed);
                run.AwaitCompleted(handle.Handle); // never ExecuteRun
                Values.AssertSuccess("\"stored\"", run.Take(handle.Handle));
                run.Finish();
            })
            .Is(Expect.Finished());
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void SysRun_ManyStartedBeforeAnyAwaited_CompletionsOutOfOrder_EachReplaysItsOwnValue(Mode mode)
    {
        // The Task.WhenAll shape: 40 runs started, then awaited. They finished in a scrambled order (completion id
        // 7i mod 41); a completion is journaled after its own RunCommand, so half of them sit between the commands.
        const uint runs = 40;
        var finished = Enumerable.Range(1, (int)runs).Select(i => (uint)(7 * i % 41)).ToArray();
        var input = new List<byte[]> { Frames.Start(1 + (2 * runs)), Frames.Input("1") };
        for (var i = 1u; i <= runs; i++)
        {
            input.Add(Frames.Command(MessageType.RunCommand, Expect.Run(i, $"r{i}").Message));
            if (i == runs / 2)
            {
                input.AddRange(finished.Where(id => id <= i).Select(RunCompletion));
            }
        }
        input.AddRange(finished.Where(id => id > runs / 2).Select(RunCompletion));

        StateMachineTestCase.Create()
            .WithInput([.. input])
            .RunHandler(mode, run =>
            {
                var handles = new List<NotificationHandle>();
                for (var i = 1u; i <= runs; i++)
                {
                    var handle = run.StateMachine.SysRun($"r{i}");
                    Assert.True(handle.Replayed, $"run {i} has its completion in the journal");
                    handles.Add(handle.Handle);
                }
                Assert.Equal(StateMachineState.Processing, run.StateMachine.State);
                for (var i = 0; i < handles.Count; i++)
                {
                    run.AwaitCompleted(handles[i]); // never ExecuteRun: every result comes from the journal
                    Values.AssertSuccess($"\"v{i + 1}\"", run.Take(handles[i]));
                }
                run.Finish();
            })
            .Is(Expect.Finished());
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void SysRun_StartedBetweenAwaits_ReplayedOnlyWhenItsCompletionIsQueuedOrPromoted(Mode mode)
    {
        // Attempt 1 started runs 1-4, got their completions as 3, 2, 4, 1 (with an awakeable's signal in between),
        // then started 5 and 6 and got only 6. Attempt 2 replays that, awaiting run 1 after starting runs 1-3: that
        // await promotes completions 3, 2, 4 and 1 while 6 stays queued, so SysRun must find run 4's result among the
        // promoted ones, run 6's among the queued ones, and none for run 5.
        ExpectedFrame[] tail = mode == Mode.RequestResponse
            ? [Expect.Suspension(completions: [5], signals: [1])]
            : Expect.Finished();
        StateMachineTestCase.Replaying(
                Frames.Command(MessageType.RunCommand, Expect.Run(1, "r1").Message),
                Frames.Command(MessageType.RunCommand, Expect.Run(2, "r2").Message),
                Frames.Command(MessageType.RunCommand, Expect.Run(3, "r3").Message),
                Frames.Command(MessageType.RunCommand, Expect.Run(4, "r4").Message),
                RunCompletion(3),
                RunCompletion(2),
                Frames.Signal(17, value: "\"signal\""),
                RunCompletion(4),
                RunCompletion(1),
                Frames.Command(MessageType.RunCommand, Expect.Run(5, "r5").Message),
                Frames.Command(MessageType.RunCommand, Expect.Run(6, "r6").Message),
                RunCompletion(6))
            .RunHandler(mode, run =>
            {
                var r1 = run.StateMachine.SysRun("r1");
                var r2 = run.StateMachine.SysRun("r2");
                var r3 = run.StateMachine.SysRun("r3");
                Assert.True(r1.Replayed && r2.Replayed && r3.Replayed);
                run.AwaitCompleted(r1.Handle);
                Values.AssertSuccess("\"v1\"", run.Take(r1.Handle));

                var r4 = run.StateMachine.SysRun("r4");
                var r5 = run.StateMachine.SysRun("r5");
                var r6 = run.StateMachine.SysRun("r6");
                Assert.True(r4.Replayed, "run 4's completion was promoted by the await of run 1");
                Assert.False(r5.Replayed, "run 5 has no completion in the journal");
                Assert.True(r6.Replayed, "run 6's completion is still queued");
                Assert.Equal(StateMachineState.Processing, run.StateMachine.State);

                foreach (var (handle, value) in new[] { (r3, "\"v3\""), (r2, "\"v2\""), (r6, "\"v6\""), (r4, "\"v4\"") })
                {
                    run.AwaitCompleted(handle.Handle);
                    Values.AssertSuccess(value, run.Take(handle.Handle));
                }

                Assert.Equal(new AwaitResponse.ExecuteRun(r5.Handle), run.Await(r5.Handle));
                run.StateMachine.ProposeRunCompletion(r5.Handle, new RunExitResult.Success(Frames.Utf8("\"v5\"")), RetryPolicy.Infinite);
                if (run.AwaitBlocks(r5.Handle))
                {
                    run.Feed(RunCompletion(5));
                    run.AwaitCompleted(r5.Handle);
                    Values.AssertSuccess("\"v5\"", run.Take(r5.Handle));
                    run.Finish();
                }
            })
            .Is([Expect.ProposeRun(5, "\"v5\""), .. tail]);
    }

    [Fact]
    public void SysRun_ReplayedWithTerminalFailure_ReturnsFailure()
    {
        StateMachineTestCase.Replaying(
                Frames.Command(MessageType.RunCommand, Expect.Run(1, "r").Message),
                Frames.Notification(MessageType.RunCompletionNotification, completionId: 1, failure: Frames.Fail(418, "teapot")))
            .RunHandler(run =>
            {
                var handle = run.StateMachine.SysRun("r");
                Assert.True(handle.Replayed);
                run.AwaitCompleted(handle.Handle);
                Values.AssertFailure(418, "teapot", run.Take(handle.Handle));
            })
            .Is();
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void SysRun_ReplayedWithoutCompletion_ExecutesWithoutRewritingCommand(Mode mode)
    {
        StateMachineTestCase.Replaying(Frames.Command(MessageType.RunCommand, Expect.Run(1, "r").Message))
            .RunHandler(mode, run =>
            {
                var handle = run.StateMachine.SysRun("r");
                Assert.False(handle.Replayed);
                Assert.Equal(StateMachineState.Processing, run.StateMachine.State);
                Assert.Equal(new AwaitResponse.ExecuteRun(handle.Handle), run.Await(handle.Handle));
                run.StateMachine.ProposeRunCompletion(handle.Handle, new RunExitResult.Success(Frames.Utf8("2")), RetryPolicy.Infinite);
            })
            .Is(Expect.ProposeRun(1, "2"));
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void DoProgress_RaceWithRunDuringReplay_ResolvedByJournalThenRunExecutesInProcessing(Mode mode)
    {
        var setState = new SetStateCommandMessage { Key = ByteString.CopyFromUtf8("k"), Value = Frames.Value("1") };
        StateMachineTestCase.Replaying(
                Frames.Command(MessageType.RunCommand, Expect.Run(1, "r").Message),
                Frames.Command(MessageType.SleepCommand, Expect.Sleep(2, 10).Message),
                Frames.Notification(MessageType.SleepCompletionNotification, completionId: 2, isVoid: true),
                Frames.Command(MessageType.SetStateCommand, setState))
            .RunHandler(mode, run =>
            {
                var runHandle = run.StateMachine.SysRun("r");
                Assert.False(runHandle.Replayed);
                var sleep = run.StateMachine.SysSleep(DateTimeOffset.FromUnixTimeMilliseconds(10), "");
                run.AwaitCompleted(Fut.Of(CombinatorKind.FirstCompleted, runHandle.Handle, sleep));
                Values.AssertVoid(run.Take(sleep));
                Assert.Equal(StateMachineState.Replaying, run.StateMachine.State);

                run.StateMachine.SysStateSet("k", Frames.Utf8("1"));
                Assert.Equal(StateMachineState.Processing, run.StateMachine.State);
                Assert.Equal(new AwaitResponse.ExecuteRun(runHandle.Handle), run.Await(runHandle.Handle));
                run.StateMachine.ProposeRunCompletion(runHandle.Handle, new RunExitResult.Success(Frames.Utf8("3")), RetryPolicy.Infinite);
            })
            .Is(Expect.ProposeRun(1, "3"));
    }

    [Fact]
    public void SysRun_ReplayedCommandWithDifferentName_Fails570()
    {
        var output = StateMachineTestCase.Replaying(Frames.Command(MessageType.RunCommand, Expect.Run(1, "old").Message))
            .RunHandler(run =>
            {
                Assert.Equal(ErrorCodes.JournalMismatch, Assert.Throws<StateMachineException>(() => run.StateMachine.SysRun("new")).Code);
            });

        Assert.Equal(570u, output.EndsWithError().Code);
    }

    [Theory]
    [InlineData(5, false)]
    [InlineData(6, true)]
    public void ProposeRunCompletion_TerminalFailure_ProposesFailure(int version, bool withMetadata)
    {
        StateMachineTestCase.Started(version)
            .RunHandler(run =>
            {
                var handle = run.StateMachine.SysRun("r").Handle;
                run.Await(handle);
                run.StateMachine.ProposeRunCompletion(handle,
                    new RunExitResult.Terminal(new TerminalFailure(418, "teapot", [KeyValuePair.Create("k", "v")])), OneSecond);
            })
            .Is(Expect.Run(1, "r"), Expect.ProposeRun(1, withMetadata ? Frames.Fail(418, "teapot", ("k", "v")) : Frames.Fail(418, "teapot")));
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void ProposeRunCompletion_RetryableFailure_WritesErrorMessageForTheRun(Mode mode)
    {
        var output = StateMachineTestCase.Started()
            .RunHandler(mode, run =>
            {
                run.StateMachine.SysSleep(DateTimeOffset.FromUnixTimeMilliseconds(1), "");
                var handle = run.StateMachine.SysRun("flaky").Handle;
                run.Await(handle);
                var e = Assert.Throws<StateMachineException>(() => run.StateMachine.ProposeRunCompletion(handle,
                    new RunExitResult.Retryable(500, "boom", "at Flaky()", TimeSpan.FromMilliseconds(20)),
                    RetryPolicy.FixedDelay(TimeSpan.FromSeconds(2))));
                Assert.Equal(500, e.Code);
                Assert.Equal(StateMachineState.Closed, run.StateMachine.State);
            });

        var error = output.EndsWithError(Expect.Sleep(1, 1), Expect.Run(2, "flaky"));
        Assert.Equal(new ErrorMessage
        {
            Code = 500,
            Message = "boom",
            Stacktrace = "at Flaky()",
            RelatedCommandIndex = 2,
            RelatedCommandType = 0x0411,
            RelatedCommandName = "flaky",
            NextRetryDelay = 2000,
        }, error);
    }

    [Fact]
    public void ProposeRunCompletion_RetryableWithInfinitePolicy_LeavesDelayToServer()
    {
        var output = RunFailingOnce(retryCount: 0, durationMs: 0, RetryPolicy.Infinite, TimeSpan.FromMilliseconds(1));
        var error = output.EndsWithError();
        Assert.Equal(500u, error.Code);
        Assert.False(error.HasNextRetryDelay);
        Assert.Equal(1u, error.RelatedCommandIndex);
        Assert.Equal("r", error.RelatedCommandName);
    }

    [Theory]
    [InlineData(0, 100)] // first attempt: initial interval
    [InlineData(1, 200)]
    [InlineData(2, 400)]
    [InlineData(5, 3000)] // 3200 capped by the max interval
    public void ProposeRunCompletion_ExponentialPolicy_DelayGrowsWithAttempts(uint retryCount, ulong expectedDelayMs)
    {
        var policy = RetryPolicy.Exponential(TimeSpan.FromMilliseconds(100), 2, TimeSpan.FromSeconds(3));
        var error = RunFailingOnce(retryCount, durationMs: 10, policy, TimeSpan.FromMilliseconds(1)).EndsWithError();
        Assert.Equal(expectedDelayMs, error.NextRetryDelay);
    }

    // (retry_count_since_last_stored_entry, max_attempts): the failing attempt is attempt retry_count + 1.
    [Theory]
    [InlineData(0u, 1, true)]
    [InlineData(1u, 2, true)]
    [InlineData(2u, 2, true)]
    [InlineData(2u, 1, true)]
    [InlineData(99u, 100, true)]
    [InlineData(0u, 2, false)]
    [InlineData(1u, 3, false)]
    [InlineData(99u, 101, false)]
    public void ProposeRunCompletion_MaxAttemptsBoundary_StopsOrRetries(uint retryCount, int maxAttempts, bool stops)
    {
        var policy = OneSecond with { MaxAttempts = maxAttempts };
        var output = RunFailingOnce(retryCount, durationMs: 1000, policy, TimeSpan.FromSeconds(1));

        if (stops)
        {
            var proposal = Assert.Single(output.Frames).As<ProposeRunCompletionMessage>();
            Assert.Equal(1u, proposal.ResultCompletionId);
            Assert.Equal(500u, proposal.Failure.Code);
            Assert.Contains("boom", proposal.Failure.Message, StringComparison.Ordinal);
            Assert.Equal(StateMachineState.Processing, output.StateMachine.State);
        }
        else
        {
            var error = output.EndsWithError();
            Assert.Equal(500u, error.Code);
            Assert.Equal(1000u, error.NextRetryDelay);
            Assert.Equal(1u, error.RelatedCommandIndex);
            Assert.Equal((uint)MessageType.RunCommand, error.RelatedCommandType);
        }
    }

    // Duration since the last stored entry counts only when retry_count > 0; the attempt's own duration always adds.
    [Theory]
    [InlineData(1u, 900u, 200, 1000, true)]
    [InlineData(1u, 500u, 200, 1000, false)]
    [InlineData(0u, 5000u, 100, 1000, false)]
    [InlineData(0u, 0u, 1000, 1000, true)]
    public void ProposeRunCompletion_MaxDurationBoundary_StopsOrRetries(uint retryCount, ulong durationMs, int attemptMs,
        int maxDurationMs, bool stops)
    {
        var policy = OneSecond with { MaxDuration = TimeSpan.FromMilliseconds(maxDurationMs) };
        var output = RunFailingOnce(retryCount, durationMs, policy, TimeSpan.FromMilliseconds(attemptMs));

        Assert.Equal(stops ? MessageType.ProposeRunCompletion : MessageType.Error, Assert.Single(output.Frames).Type);
    }

    [Fact]
    public void ProposeRunCompletion_PolicyNone_ProposesTerminalFailureAtOnce()
    {
        var output = RunFailingOnce(retryCount: 0, durationMs: 0, RetryPolicy.None, TimeSpan.Zero);
        var proposal = Assert.Single(output.Frames).As<ProposeRunCompletionMessage>();
        Assert.Equal(500u, proposal.Failure.Code);
    }

    [Fact]
    public void ProposeRunCompletion_Exhausted_CarriesTheErrorCode()
    {
        var output = StateMachineTestCase.Started()
            .RunHandler(run =>
            {
                var handle = run.StateMachine.SysRun("r").Handle;
                run.Await(handle);
                run.StateMachine.ProposeRunCompletion(handle, new RunExitResult.Retryable(503, "unavailable", null, TimeSpan.Zero), RetryPolicy.None);
            });

        var proposal = output.Frames[1].As<ProposeRunCompletionMessage>();
        Assert.Equal(503u, proposal.Failure.Code);
        Assert.Contains("unavailable", proposal.Failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ProposeRunCompletion_RunIsNotFirstNewEntry_IgnoresStartRetryInfo(bool commandBeforeRun)
    {
        // The StartMessage counters describe the entry right after the last stored one; once this attempt wrote a
        // new command (even the RunCommand itself), the run starts counting from zero.
        var output = StateMachineTestCase.Create()
            .WithInput(Frames.Start(1, retryCount: 10, durationMs: 10_000), Frames.Input("1"))
            .RunHandler(run =>
            {
                if (commandBeforeRun)
                {
                    run.StateMachine.SysSleep(DateTimeOffset.FromUnixTimeMilliseconds(100_000), "");
                }
                var handle = run.StateMachine.SysRun("r").Handle;
                run.Await(handle);
                var policy = OneSecond with { MaxAttempts = 2, MaxDuration = TimeSpan.FromMilliseconds(100) };
                Assert.Throws<StateMachineException>(() => run.StateMachine.ProposeRunCompletion(handle,
                    new RunExitResult.Retryable(500, "boom", null, TimeSpan.FromMilliseconds(99)), policy));
            });

        var error = output.Frames[^1].As<ErrorMessage>();
        Assert.Equal(1000u, error.NextRetryDelay);
        Assert.Equal(commandBeforeRun ? 2u : 1u, error.RelatedCommandIndex);
    }

    [Fact]
    public void ProposeRunCompletion_AfterSuspension_Ignored()
    {
        StateMachineTestCase.Started()
            .RunHandler(run =>
            {
                var runHandle = run.StateMachine.SysRun("r").Handle;
                var sleep = run.StateMachine.SysSleep(DateTimeOffset.FromUnixTimeMilliseconds(5), "");
                Assert.IsType<AwaitResponse.ExecuteRun>(run.Await(Fut.Of(CombinatorKind.FirstCompleted, runHandle, sleep)));
                Assert.Equal(new AwaitResponse.WaitingExternalProgress(false, true), run.Await(Fut.One(runHandle)));
                run.AwaitSuspends(Fut.One(sleep));
                run.StateMachine.ProposeRunCompletion(runHandle, new RunExitResult.Success(Frames.Utf8("1")), RetryPolicy.Infinite);
            })
            .Is(Expect.Run(1, "r"), Expect.Sleep(2, 5), Expect.Suspension(completions: [2], signals: [1]));
    }

    /// <summary>A journaled RunCommand replayed as the first entry after replay, whose closure fails retryably.</summary>
    [Fact]
    public void ProposeRunCompletion_RetryableWithItsOwnDelay_OverridesThePolicysDelay()
    {
        var policy = RetryPolicy.FixedDelay(TimeSpan.FromMilliseconds(10));

        var error = RunFailingOnce(retryCount: 0, durationMs: 0, policy, TimeSpan.FromMilliseconds(1), retryAfter: TimeSpan.FromMinutes(2)).EndsWithError();

        Assert.Equal(120_000ul, error.NextRetryDelay);
    }

    [Fact]
    public void ProposeRunCompletion_RetryableWithItsOwnDelayButAttemptsExhausted_IsJournaledAsTerminal()
    {
        var policy = RetryPolicy.FixedDelay(TimeSpan.FromMilliseconds(10)) with { MaxAttempts = 1 };

        var output = RunFailingOnce(retryCount: 0, durationMs: 0, policy, TimeSpan.FromMilliseconds(1), retryAfter: TimeSpan.FromMinutes(2));

        Assert.DoesNotContain(output.Frames, f => f.Type == MessageType.Error);
        var proposal = Assert.Single(output.Frames, f => f.Type == MessageType.ProposeRunCompletion).As<ProposeRunCompletionMessage>();
        Assert.Equal("Run 'r' failed after 1 attempt(s): boom", proposal.Failure.Message);
    }

    private static VmOutput RunFailingOnce(uint retryCount, ulong durationMs, RetryPolicy policy, TimeSpan attempt, TimeSpan? retryAfter = null) =>
        StateMachineTestCase.Create()
            .WithInput(
                Frames.Start(2, retryCount: retryCount, durationMs: durationMs),
                Frames.Input("1"),
                Frames.Command(MessageType.RunCommand, Expect.Run(1, "r").Message))
            .RunHandler(run =>
            {
                var handle = run.StateMachine.SysRun("r");
                Assert.False(handle.Replayed);
                Assert.IsType<AwaitResponse.ExecuteRun>(run.Await(handle.Handle));
                try
                {
                    run.StateMachine.ProposeRunCompletion(handle.Handle, new RunExitResult.Retryable(500, "boom", "trace", attempt, retryAfter), policy);
                }
                catch (StateMachineException e)
                {
                    Assert.Equal(500, e.Code);
                }
            });

    private static byte[] RunCompletion(uint completionId) =>
        Frames.Notification(MessageType.RunCompletionNotification, completionId: completionId, value: $"\"v{completionId}\"");
}

using Google.Protobuf;
using Restate.Sdk.Protocol;

namespace Restate.Sdk.Engine;

// RunAsync: the RunCommand, lazy execution of closures, and proposing their results (or retrying them).
internal sealed partial class InvocationStateMachine
{
    private readonly Dictionary<uint, RunInfo> _runs = [];

    // V7: proposed run results by completion id, until the runtime acknowledges them (ProposeRunCompletionAck); the
    // acknowledgement carries no value, so the result the handler sees is the one kept here.
    private readonly Dictionary<uint, NotificationValue> _proposedRuns = [];

    // The runs of the laid-out awaited tree (see _layout): those not started yet when it was laid out, by handle, with
    // the first that may still be unstarted, and how many of them are executing now.
    private readonly List<RunInfo> _awaitedRuns = [];
    private int _nextAwaitedRun;
    private int _executingAwaitedRuns;

    private enum RunState
    {
        ToExecute,
        Executing,
        Proposed,
    }

    /// <summary>
    /// Journals a run. When its result is already in the journal the handle is <c>Replayed</c> and the closure must
    /// not run; otherwise the state machine asks for it (ExecuteRun) the first time it is awaited while Processing.
    /// </summary>
    public RunHandle SysRun(string name)
    {
        EnsureRunning();
        var completionId = NextCompletionId();
        Journal(MessageType.RunCommand, new RunCommandMessage { ResultCompletionId = completionId, Name = name },
            RunCommandMessage.Parser);
        var id = NotificationId.Completion(completionId);
        var handle = NewHandle(id);
        var replayed = _ready.ContainsKey(id) || IsCompletionQueued(completionId);
        if (!replayed)
        {
            _runs[handle.Value] = new RunInfo(handle, completionId, (uint)_commandIndex, name);
        }
        return new RunHandle(replayed, handle);
    }

    /// <summary>
    /// Reports how a run closure ended. Success and terminal failure are proposed to the runtime, which journals them.
    /// A retryable failure either ends the attempt with an ErrorMessage (throws) or, once the policy is exhausted,
    /// is proposed as a terminal failure. Ignored once the attempt is no longer processing (suspended or closed).
    /// </summary>
    public void ProposeRunCompletion(NotificationHandle handle, RunExitResult result, RetryPolicy policy)
    {
        if (_failure is not null)
        {
            throw _failure;
        }
        if (_phase != Phase.Processing)
        {
            return;
        }
        try
        {
            if (!_runs.Remove(handle.Value, out var run))
            {
                throw new StateMachineException(ErrorCodes.ProtocolViolation, $"No run is waiting for a result on handle {handle}.");
            }
            ForgetRun(run);
            var proposal = new ProposeRunCompletionMessage { ResultCompletionId = run.CompletionId };
            switch (result)
            {
                case RunExitResult.Success success:
                    proposal.Value = ByteString.CopyFrom(success.Value.Span);
                    break;
                case RunExitResult.Terminal terminal:
                    proposal.Failure = ToProto(terminal.Failure);
                    break;
                case RunExitResult.Retryable retryable:
                    var (attempts, duration) = RetryInfoFor(retryable);
                    var decision = policy.Decide(attempts, duration);
                    if (!decision.Retry && policy.PauseWhenExhausted)
                    {
                        // Sent as PAUSE under V7; before V7 the ErrorMessage cannot carry it and the runtime retries.
                        throw new StateMachineException(retryable.Code,
                            $"Run '{run.Name}' failed after {attempts} attempt(s), pausing the invocation: {retryable.Message}",
                            new RelatedCommand(run.CommandIndex, MessageType.RunCommand, run.Name), retryable.Stacktrace,
                            behavior: ErrorBehavior.Pause);
                    }
                    if (decision.Retry)
                    {
                        throw new StateMachineException(retryable.Code, retryable.Message,
                            new RelatedCommand(run.CommandIndex, MessageType.RunCommand, run.Name), retryable.Stacktrace, retryable.RetryAfter ?? decision.Delay);
                    }
                    proposal.Failure = ToProto(new TerminalFailure(retryable.Code,
                        $"Run '{run.Name}' failed after {attempts} attempt(s): {retryable.Message}"));
                    break;
            }
            if (ProtocolVersionNumber >= 7)
            {
                // V7: ask for an acknowledgement instead of the echoed RunCompletionNotification (see OnRunCompletionAck).
                _proposedRuns[run.CompletionId] = proposal.ResultCase == ProposeRunCompletionMessage.ResultOneofCase.Failure
                    ? new NotificationValue.Failure(ToTerminalFailure(proposal.Failure))
                    : new NotificationValue.Success(proposal.Value.Memory);
                Write(MessageType.ProposeRunCompletion, proposal, FrameHeader.RequestedAckFlag);
            }
            else
            {
                Write(MessageType.ProposeRunCompletion, proposal);
            }
        }
        catch (StateMachineException e)
        {
            throw Fail(e);
        }
    }

    /// <summary>
    /// V7: the runtime stored the proposed result of run <paramref name="completionId"/>. The result is the one kept
    /// when proposing; it becomes a notification like the RunCompletionNotification V5/V6 echo (and that notification
    /// stands at this position of the journal on later replays).
    /// </summary>
    private void OnRunCompletionAck(uint completionId)
    {
        if (!_proposedRuns.Remove(completionId, out var value))
        {
            throw new StateMachineException(ErrorCodes.ProtocolViolation,
                $"Received ProposeRunCompletionAck for completion id {completionId}, but no run with that id was proposed in this attempt.");
        }
        EnqueueNotification((NotificationId.Completion(completionId), value));
    }

    /// <summary>
    /// Attempts and time already spent on this run. The StartMessage counters describe the entry after the last
    /// stored one, so they apply only while no new command was written in this attempt.
    /// </summary>
    private (uint Attempts, TimeSpan Duration) RetryInfoFor(RunExitResult.Retryable failure)
    {
        uint attempts = 0;
        var duration = TimeSpan.Zero;
        if (_processingFirstEntry && _start is { } start)
        {
            attempts = start.RetryCountSinceLastStoredEntry;
            duration = attempts == 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(start.DurationSinceLastStoredEntry);
        }
        return (attempts + 1, duration + failure.AttemptDuration);
    }

    /// <summary>
    /// The awaited run to execute next: the one with the lowest handle among the awaited runs not started yet. For the
    /// laid-out tree this pops the presorted queue of its runs, skipping those started or proposed since (a run never
    /// goes back to <see cref="RunState.ToExecute"/>), so a fan-out of N runs costs O(N) over all its steps.
    /// </summary>
    private RunInfo? NextRunToExecute(UnresolvedFuture future)
    {
        if (future is UnresolvedFuture.Single single)
        {
            return _runs.TryGetValue(single.Handle.Value, out var run) && run.State == RunState.ToExecute ? run : null;
        }
        while (_nextAwaitedRun < _awaitedRuns.Count)
        {
            var run = _awaitedRuns[_nextAwaitedRun];
            if (run.State == RunState.ToExecute)
            {
                return run;
            }
            _nextAwaitedRun++;
        }
        return null;
    }

    private bool AwaitsExecutingRun(UnresolvedFuture future) => future is UnresolvedFuture.Single single
        ? _runs.TryGetValue(single.Handle.Value, out var run) && run.State == RunState.Executing
        : _executingAwaitedRuns > 0;

    private void StartExecuting(RunInfo run)
    {
        run.State = RunState.Executing;
        if (IsInKeptLayout(run))
        {
            _executingAwaitedRuns++;
        }
    }

    // The counts describe the kept layout only; a dropped one is laid out (and counted) afresh before it is used.
    private bool IsInKeptLayout(RunInfo run) => _laidOut is not null && run.AwaitedInLayout == _layout;

    /// <summary>Notes, while laying out the awaited tree, that <paramref name="handle"/> is one of its leaves.</summary>
    private void TrackAwaitedRun(NotificationHandle handle)
    {
        if (!_runs.TryGetValue(handle.Value, out var run) || run.AwaitedInLayout == _layout)
        {
            return;
        }
        run.AwaitedInLayout = _layout;
        if (run.State == RunState.ToExecute)
        {
            _awaitedRuns.Add(run);
        }
        else if (run.State == RunState.Executing)
        {
            _executingAwaitedRuns++;
        }
    }

    private void ForgetRun(RunInfo run)
    {
        if (run.State == RunState.Executing && IsInKeptLayout(run))
        {
            _executingAwaitedRuns--;
        }
        run.State = RunState.Proposed;
    }

    private sealed class RunInfo(NotificationHandle handle, uint completionId, uint commandIndex, string name)
    {
        public NotificationHandle Handle { get; } = handle;

        public uint CompletionId { get; } = completionId;

        public uint CommandIndex { get; } = commandIndex;

        public string Name { get; } = name;

        public RunState State { get; set; }

        /// <summary>The layout of the awaited tree that counted this run (0: none), so each run is counted once per layout.</summary>
        public int AwaitedInLayout { get; set; }
    }
}

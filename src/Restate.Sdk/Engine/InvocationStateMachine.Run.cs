using Google.Protobuf;
using Restate.Sdk.Protocol;

namespace Restate.Sdk.Engine;

// RunAsync: the RunCommand, lazy execution of closures, and proposing their results (or retrying them).
internal sealed partial class InvocationStateMachine
{
    private readonly Dictionary<uint, RunInfo> _runs = [];

    private enum RunState
    {
        ToExecute,
        Executing,
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
                    if (decision.Retry)
                    {
                        throw new StateMachineException(retryable.Code, retryable.Message,
                            new RelatedCommand(run.CommandIndex, MessageType.RunCommand, run.Name), retryable.Stacktrace, retryable.RetryAfter ?? decision.Delay);
                    }
                    proposal.Failure = ToProto(new TerminalFailure(retryable.Code,
                        $"Run '{run.Name}' failed after {attempts} attempt(s): {retryable.Message}"));
                    break;
            }
            Write(MessageType.ProposeRunCompletion, proposal);
        }
        catch (StateMachineException e)
        {
            throw Fail(e);
        }
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

    private RunInfo? NextRunToExecute(UnresolvedFuture future)
    {
        var leaves = new List<NotificationHandle>();
        future.CollectLeaves(leaves);
        RunInfo? first = null;
        foreach (var leaf in leaves)
        {
            if (_runs.TryGetValue(leaf.Value, out var run) && run.State == RunState.ToExecute
                && (first is null || run.Handle.Value < first.Handle.Value))
            {
                first = run;
            }
        }
        return first;
    }

    private bool AwaitsExecutingRun(UnresolvedFuture future)
    {
        var leaves = new List<NotificationHandle>();
        future.CollectLeaves(leaves);
        return leaves.Any(leaf => _runs.TryGetValue(leaf.Value, out var run) && run.State == RunState.Executing);
    }

    private sealed class RunInfo(NotificationHandle handle, uint completionId, uint commandIndex, string name)
    {
        public NotificationHandle Handle { get; } = handle;

        public uint CompletionId { get; } = completionId;

        public uint CommandIndex { get; } = commandIndex;

        public string Name { get; } = name;

        public RunState State { get; set; }
    }
}

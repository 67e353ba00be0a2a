namespace Restate.Sdk.Engine;

// Awaiting results: deciding whether awaited futures can complete, and taking their values.
internal sealed partial class InvocationStateMachine
{
    // Invocation-id handles of request-response calls, cancelled with this invocation (implicit cancellation).
    private readonly List<NotificationHandle> _childCalls = [];
    private readonly Dictionary<uint, string> _childInvocationIds = [];
    private bool _childrenCancelled;

    private enum Outcome
    {
        Pending,
        Succeeded,
        Failed,
    }

    /// <summary>True when the result behind <paramref name="handle"/> can be taken now.</summary>
    public bool IsReady(NotificationHandle handle) =>
        _handles.TryGetValue(handle.Value, out var id) && _ready.ContainsKey(id);

    /// <summary>Moves the result out of the VM (once); null when it is not available yet.</summary>
    public NotificationValue? TakeNotification(NotificationHandle handle)
    {
        EnsureRunning();
        if (!_handles.TryGetValue(handle.Value, out var id) || !_ready.Remove(id, out var value))
        {
            return null;
        }
        if (handle != NotificationHandle.Cancel)
        {
            _handles.Remove(handle.Value);
        }
        if (value is NotificationValue.InvocationId invocationId && _childCalls.Contains(handle))
        {
            _childInvocationIds[handle.Value] = invocationId.Id;
        }
        return value;
    }

    /// <summary>
    /// Makes progress on <paramref name="future"/>: promotes received notifications one at a time until it resolves,
    /// asks for a run to execute, waits for input, or suspends when input is closed and nothing can complete.
    /// </summary>
    /// <exception cref="VmException">Code 599 after writing the SuspensionMessage; any other code after writing an ErrorMessage.</exception>
    public AwaitResponse DoProgress(UnresolvedFuture future)
    {
        EnsureRunning();
        try
        {
            UnresolvedFuture.Combinator? cancellingChildren = null;
            while (true)
            {
                if (Reduce(future) != Outcome.Pending)
                {
                    return AwaitResponse.AnyCompleted.Instance;
                }
                if (ImplicitCancellation && IsReady(NotificationHandle.Cancel))
                {
                    cancellingChildren = PendingChildInvocationIds();
                    if (cancellingChildren is null)
                    {
                        CancelChildren();
                        return AwaitResponse.CancelSignalReceived.Instance;
                    }
                }
                if (!TryDequeueNotification(out var notification))
                {
                    break;
                }
                _ready[notification.Id] = notification.Value;
            }

            var awaited = cancellingChildren ?? future;
            if (_phase == Phase.Replaying)
            {
                throw new VmException(ErrorCodes.JournalMismatch,
                    $"Journal mismatch: the handler awaits {DescribeLeaves(awaited)}, which the journal cannot complete while {_replayCommands.Count} journaled command(s) remain to replay. " +
                    "An await was added or moved; deploy changed code as a new deployment.",
                    AwaitedRunCommand(awaited));
            }
            if (cancellingChildren is null && NextRunToExecute(future) is { } run)
            {
                run.State = RunState.Executing;
                return new AwaitResponse.ExecuteRun(run.Handle);
            }
            var waitingRun = cancellingChildren is null && AwaitsExecutingRun(future);
            if (!_inputClosed)
            {
                return new AwaitResponse.WaitingExternalProgress(true, waitingRun);
            }
            if (waitingRun)
            {
                return new AwaitResponse.WaitingExternalProgress(false, true);
            }
            throw Suspend(awaited);
        }
        catch (VmException e)
        {
            throw Fail(e);
        }
    }

    private void TrackChildCall(NotificationHandle invocationIdHandle)
    {
        if (ImplicitCancellation)
        {
            _childCalls.Add(invocationIdHandle);
        }
    }

    /// <summary>The child calls whose invocation ids are still unknown (null when all are known).</summary>
    private UnresolvedFuture.Combinator? PendingChildInvocationIds()
    {
        List<UnresolvedFuture>? pending = null;
        foreach (var child in _childCalls)
        {
            if (_childInvocationIds.ContainsKey(child.Value))
            {
                continue;
            }
            if (_handles.TryGetValue(child.Value, out var id) && _ready.TryGetValue(id, out var value)
                && value is NotificationValue.InvocationId invocationId)
            {
                _childInvocationIds[child.Value] = invocationId.Id;
                continue;
            }
            (pending ??= []).Add(new UnresolvedFuture.Single(child));
        }
        return pending is null ? null : new UnresolvedFuture.Combinator(CombinatorKind.AllCompleted, pending);
    }

    private void CancelChildren()
    {
        if (!_childrenCancelled)
        {
            _childrenCancelled = true;
            foreach (var child in _childCalls)
            {
                SysCancelInvocation(_childInvocationIds[child.Value]);
            }
        }
        _ready.Remove(NotificationId.Signal(1));
    }

    private Outcome Reduce(UnresolvedFuture future)
    {
        switch (future)
        {
            case UnresolvedFuture.Single single:
                return _handles.TryGetValue(single.Handle.Value, out var id) && _ready.TryGetValue(id, out var value)
                    ? value.IsFailure ? Outcome.Failed : Outcome.Succeeded
                    : Outcome.Pending;
            case UnresolvedFuture.Combinator combinator:
                return ReduceCombinator(combinator);
            default:
                throw new ArgumentOutOfRangeException(nameof(future));
        }
    }

    private Outcome ReduceCombinator(UnresolvedFuture.Combinator combinator)
    {
        int succeeded = 0, failed = 0;
        foreach (var child in combinator.Children)
        {
            var outcome = Reduce(child);
            switch (combinator.Kind)
            {
                case CombinatorKind.FirstCompleted or CombinatorKind.Unknown when outcome != Outcome.Pending:
                    return outcome;
                case CombinatorKind.FirstSucceededOrAllFailed when outcome == Outcome.Succeeded:
                    return Outcome.Succeeded;
                case CombinatorKind.AllSucceededOrFirstFailed when outcome == Outcome.Failed:
                    return Outcome.Failed;
            }
            if (outcome == Outcome.Succeeded)
            {
                succeeded++;
            }
            else if (outcome == Outcome.Failed)
            {
                failed++;
            }
        }
        var total = combinator.Children.Count;
        return combinator.Kind switch
        {
            CombinatorKind.AllCompleted when succeeded + failed == total => Outcome.Succeeded,
            CombinatorKind.FirstSucceededOrAllFailed when failed == total => Outcome.Failed,
            CombinatorKind.AllSucceededOrFirstFailed when succeeded == total => Outcome.Succeeded,
            _ => Outcome.Pending,
        };
    }

    /// <summary>
    /// The RunCommand of an awaited run, to relate a replay mismatch to it. Other awaited results have no command
    /// that explains the mismatch, so none is reported (rather than a wrong index/type pair).
    /// </summary>
    private RelatedCommand? AwaitedRunCommand(UnresolvedFuture future)
    {
        var leaves = new List<NotificationHandle>();
        future.CollectLeaves(leaves);
        foreach (var leaf in leaves)
        {
            if (_runs.TryGetValue(leaf.Value, out var run))
            {
                return new RelatedCommand(run.CommandIndex, Protocol.MessageType.RunCommand, run.Name);
            }
        }
        return null;
    }

    private string DescribeLeaves(UnresolvedFuture future)
    {
        var leaves = new List<NotificationHandle>();
        future.CollectLeaves(leaves);
        return string.Join(", ", leaves.Select(DescribeHandle).Distinct());
    }

    private string DescribeHandle(NotificationHandle handle)
    {
        if (_runs.TryGetValue(handle.Value, out var run))
        {
            return $"run '{run.Name}'";
        }
        return _handles.TryGetValue(handle.Value, out var id) ? id.ToString() : $"handle {handle}";
    }
}

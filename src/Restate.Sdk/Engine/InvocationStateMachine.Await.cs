namespace Restate.Sdk.Engine;

// Awaiting results: deciding whether awaited futures can complete, and taking their values.
internal sealed partial class InvocationStateMachine
{
    // Invocation-id handles of request-response calls, cancelled with this invocation (implicit cancellation).
    private readonly List<NotificationHandle> _childCalls = [];
    private readonly Dictionary<uint, string> _childInvocationIds = [];
    private bool _childrenCancelled;

    // The awaited combinator tree of the current DoProgress call, laid out flat (children contiguous, the root at 0)
    // with each node's outcome, so that promoting one notification updates only the nodes above the leaves waiting
    // for it instead of reducing the whole tree again (which made one all-of over N results O(N²)). The layout is kept
    // for the next call with the same tree (the driver passes the same one until an await is added or resumed), so a
    // step of a fan-out costs O(1) instead of laying out all N leaves again; any change to _ready that the layout did
    // not see (a result taken, or promoted while another future was awaited) drops it (ReadyChanged).
    private readonly Dictionary<NotificationId, int> _reductionLeaves = [];
    private ReductionNode[] _reduction = new ReductionNode[8];
    private int _reductionCount;
    private UnresolvedFuture? _laidOut;
    private int _layout;

    private enum Outcome
    {
        Pending,
        Succeeded,
        Failed,
    }

    private struct ReductionNode
    {
        public CombinatorKind Kind;
        public int Parent; // -1 for the root
        public int IndexInParent;
        public int FirstChild; // children at [FirstChild, FirstChild + ChildCount)
        public int ChildCount;
        public int Succeeded;
        public int Failed;
        public int FirstSettled; // lowest index of a child that is not pending; ChildCount when none
        public int NextWithSameId; // leaves: the next leaf waiting for the same notification, -1 when none
        public Outcome Outcome;
    }

    /// <summary>True when the result behind <paramref name="handle"/> can be taken now.</summary>
    public bool IsReady(NotificationHandle handle) =>
        _handles.TryGetValue(handle.Value, out var id) && _ready.ContainsKey(id);

    /// <summary>Moves the result out of the state machine (once); null when it is not available yet.</summary>
    public NotificationValue? TakeNotification(NotificationHandle handle)
    {
        EnsureRunning();
        if (!_handles.TryGetValue(handle.Value, out var id) || !_ready.Remove(id, out var value))
        {
            return null;
        }
        ReadyChanged(id);
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
    /// Called again with the same (unchanged) combinator tree, it continues from the state it left that tree in.
    /// </summary>
    /// <exception cref="StateMachineException">Code 599 after writing the SuspensionMessage; any other code after writing an ErrorMessage.</exception>
    public AwaitResponse DoProgress(UnresolvedFuture future)
    {
        EnsureRunning();
        try
        {
            UnresolvedFuture.Combinator? cancellingChildren = null;
            var outcome = BeginReduction(future);
            while (true)
            {
                if (outcome != Outcome.Pending)
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
                if (future is UnresolvedFuture.Single)
                {
                    ReadyChanged(notification.Id);
                    outcome = Reduce(future);
                }
                else
                {
                    outcome = Promote(notification.Id, notification.Value);
                }
            }

            var awaited = cancellingChildren ?? future;
            if (_phase == Phase.Replaying)
            {
                throw new StateMachineException(ErrorCodes.JournalMismatch,
                    $"Journal mismatch: the handler awaits {DescribeLeaves(awaited)}, which the journal cannot complete while {_replayCommands.Count} journaled command(s) remain to replay. " +
                    "An await was added or moved; deploy changed code as a new deployment.",
                    AwaitedRunCommand(awaited));
            }
            if (cancellingChildren is null && NextRunToExecute(future) is { } run)
            {
                StartExecuting(run);
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
            throw Suspend(awaited, cancellingChildren is not null);
        }
        catch (StateMachineException e)
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
        if (_ready.Remove(NotificationId.Signal(1)))
        {
            ReadyChanged(NotificationId.Signal(1));
        }
    }

    /// <summary>Drops the kept layout when <paramref name="id"/>, which it did not see change, is one of its leaves.</summary>
    private void ReadyChanged(NotificationId id)
    {
        if (_laidOut is not null && _reductionLeaves.ContainsKey(id))
        {
            _laidOut = null;
        }
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

    /// <summary>
    /// What <see cref="Reduce"/> answers for <paramref name="future"/> now. For a combinator it also lays the tree out
    /// in <see cref="_reduction"/> with each node's outcome, so <see cref="Promote"/> can update it per notification,
    /// and collects its runs (<see cref="_awaitedRuns"/>), unless that tree is still laid out from the previous call.
    /// </summary>
    private Outcome BeginReduction(UnresolvedFuture future)
    {
        if (future is UnresolvedFuture.Single)
        {
            return Reduce(future);
        }
        if (!ReferenceEquals(future, _laidOut))
        {
            _laidOut = null;
            _layout++;
            _awaitedRuns.Clear();
            _nextAwaitedRun = 0;
            _executingAwaitedRuns = 0;
            _reductionCount = 1;
            _reductionLeaves.Clear();
            Lay(0, future, -1, 0);
            SortAwaitedRuns();
            _laidOut = future;
        }
        return _reduction[0].Outcome;
    }

    /// <summary>Orders the unstarted runs by handle, the order <see cref="NextRunToExecute"/> starts them in; leaves usually come in that order already.</summary>
    private void SortAwaitedRuns()
    {
        for (var i = 1; i < _awaitedRuns.Count; i++)
        {
            if (_awaitedRuns[i - 1].Handle.Value > _awaitedRuns[i].Handle.Value)
            {
                _awaitedRuns.Sort(static (a, b) => a.Handle.Value.CompareTo(b.Handle.Value));
                return;
            }
        }
    }

    /// <summary>
    /// Fills node <paramref name="index"/> (its children in fresh, contiguous slots) and returns its outcome, which is
    /// the one <see cref="Reduce"/> computes. Indexes only: the array may grow during the recursion.
    /// </summary>
    private Outcome Lay(int index, UnresolvedFuture future, int parent, int indexInParent)
    {
        _reduction[index] = new ReductionNode { Parent = parent, IndexInParent = indexInParent, NextWithSameId = -1 };
        switch (future)
        {
            case UnresolvedFuture.Single single:
                if (_handles.TryGetValue(single.Handle.Value, out var id))
                {
                    // Several leaves may wait for one notification (the same handle twice, or the cancel signal).
                    _reduction[index].NextWithSameId = _reductionLeaves.TryGetValue(id, out var next) ? next : -1;
                    _reductionLeaves[id] = index;
                }
                TrackAwaitedRun(single.Handle);
                return _reduction[index].Outcome = Reduce(single);
            case UnresolvedFuture.Combinator combinator:
                var count = combinator.Children.Count;
                var first = _reductionCount;
                _reductionCount += count;
                if (_reductionCount > _reduction.Length)
                {
                    Array.Resize(ref _reduction, Math.Max(_reductionCount, _reduction.Length * 2));
                }
                int succeeded = 0, failed = 0, firstSettled = count;
                for (var i = 0; i < count; i++)
                {
                    var outcome = Lay(first + i, combinator.Children[i], index, i);
                    succeeded += outcome == Outcome.Succeeded ? 1 : 0;
                    failed += outcome == Outcome.Failed ? 1 : 0;
                    if (outcome != Outcome.Pending && firstSettled == count)
                    {
                        firstSettled = i;
                    }
                }
                ref var node = ref _reduction[index];
                node.Kind = combinator.Kind;
                node.FirstChild = first;
                node.ChildCount = count;
                node.Succeeded = succeeded;
                node.Failed = failed;
                node.FirstSettled = firstSettled;
                return node.Outcome = Decide(in node);
            default:
                throw new ArgumentOutOfRangeException(nameof(future));
        }
    }

    /// <summary>
    /// Updates the laid-out tree after <paramref name="id"/> was promoted with <paramref name="value"/>: only the
    /// leaves waiting for it and their ancestors, O(depth) per leaf. Returns the root's outcome, which equals a full
    /// <see cref="Reduce"/> of the tree.
    /// </summary>
    private Outcome Promote(NotificationId id, NotificationValue value)
    {
        var outcome = value.IsFailure ? Outcome.Failed : Outcome.Succeeded;
        if (_reductionLeaves.TryGetValue(id, out var leaf))
        {
            for (; leaf >= 0; leaf = _reduction[leaf].NextWithSameId)
            {
                SetOutcome(leaf, outcome);
            }
        }
        return _reduction[0].Outcome;
    }

    private void SetOutcome(int index, Outcome outcome)
    {
        while (true)
        {
            ref var node = ref _reduction[index];
            var previous = node.Outcome;
            if (previous == outcome)
            {
                return;
            }
            node.Outcome = outcome;
            if (node.Parent < 0)
            {
                return;
            }
            var child = node.IndexInParent;
            index = node.Parent;
            ref var parent = ref _reduction[index];
            parent.Succeeded += (outcome == Outcome.Succeeded ? 1 : 0) - (previous == Outcome.Succeeded ? 1 : 0);
            parent.Failed += (outcome == Outcome.Failed ? 1 : 0) - (previous == Outcome.Failed ? 1 : 0);
            if (outcome != Outcome.Pending && child < parent.FirstSettled)
            {
                parent.FirstSettled = child;
            }
            else if (outcome == Outcome.Pending && child == parent.FirstSettled)
            {
                // Only a nested race whose earliest settled child went back to pending gets here: rescan.
                var next = child + 1;
                while (next < parent.ChildCount && _reduction[parent.FirstChild + next].Outcome == Outcome.Pending)
                {
                    next++;
                }
                parent.FirstSettled = next;
            }
            outcome = Decide(in parent);
        }
    }

    /// <summary>A combinator's outcome from its children's: the same rules, in the same child order, as <see cref="ReduceCombinator"/>.</summary>
    private Outcome Decide(in ReductionNode node) => node.Kind switch
    {
        // The earliest settled child in child order decides a race, not the one that settled first.
        CombinatorKind.FirstCompleted or CombinatorKind.Unknown => node.FirstSettled < node.ChildCount
            ? _reduction[node.FirstChild + node.FirstSettled].Outcome
            : Outcome.Pending,
        CombinatorKind.FirstSucceededOrAllFailed => node.Succeeded > 0 ? Outcome.Succeeded
            : node.Failed == node.ChildCount ? Outcome.Failed : Outcome.Pending,
        CombinatorKind.AllSucceededOrFirstFailed => node.Failed > 0 ? Outcome.Failed
            : node.Succeeded == node.ChildCount ? Outcome.Succeeded : Outcome.Pending,
        CombinatorKind.AllCompleted => node.Succeeded + node.Failed == node.ChildCount ? Outcome.Succeeded : Outcome.Pending,
        _ => Outcome.Pending,
    };

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

using Google.Protobuf.Collections;
using Restate.Sdk.Protocol;

namespace Restate.Sdk.Engine;

// The three ways an attempt ends: EndMessage (after the output), SuspensionMessage, ErrorMessage.
internal sealed partial class InvocationStateMachine
{
    /// <summary>Writes the EndMessage after the output command; a no-op if the attempt already ended.</summary>
    public void SysEnd()
    {
        if (_failure is not null || _phase == Phase.Closed)
        {
            return;
        }
        try
        {
            if (_phase != Phase.Processing)
            {
                throw new StateMachineException(ErrorCodes.JournalMismatch,
                    $"The handler returned while {_replayCommands.Count} journaled command(s) were still to replay; the handler code changed in a non-deterministic way.");
            }
            Write(MessageType.End, new EndMessage());
            _phase = Phase.Closed;
        }
        catch (StateMachineException e)
        {
            throw Fail(e);
        }
    }

    /// <summary>Ends the attempt with a retryable error (an exception in user code, a failed deserialization, a lost connection).</summary>
    public void NotifyError(ushort code, string message, string? stacktrace = null, RelatedCommand? related = null,
        TimeSpan? nextRetryDelay = null) =>
        Fail(new StateMachineException(code, message, related, stacktrace, nextRetryDelay));

    /// <summary>The related command for an error raised right after the last issued command (e.g. its result could not be read).</summary>
    public RelatedCommand? LastCommand(MessageType type, string? name = null) =>
        _commandIndex < 0 ? null : new RelatedCommand((uint)_commandIndex, type, name);

    /// <summary>
    /// Writes the SuspensionMessage for <paramref name="awaited"/> and closes. V5/V6: the flat lists of ids, resumed
    /// when any arrives. V7: the awaited tree itself (<see cref="SuspensionMessageV7"/>), resumed when it resolves.
    /// </summary>
    /// <param name="awaited">What the handler awaits, or the child invocation ids a cancellation still needs.</param>
    /// <param name="cancelling">True while a received cancellation waits for child invocation ids: signal 1 is not awaited then.</param>
    private StateMachineException Suspend(UnresolvedFuture awaited, bool cancelling)
    {
        return ProtocolVersionNumber >= 7 ? SuspendV7(awaited, cancelling) : SuspendV6(awaited);
    }

    private StateMachineException SuspendV7(UnresolvedFuture awaited, bool cancelling)
    {
        // Implicit cancellation: the runtime must also wake the invocation for the cancel signal, whatever the tree.
        var tree = ImplicitCancellation && !cancelling
            ? new UnresolvedFuture.Combinator(CombinatorKind.FirstCompleted, [awaited, new UnresolvedFuture.Single(NotificationHandle.Cancel)])
            : awaited;
        if (ToWireFuture(tree) is not { } future)
        {
            return new StateMachineException(ErrorCodes.Internal,
                $"The handler awaits {DescribeLeaves(awaited)}, which can never complete: there is nothing to suspend on.");
        }
        Write(MessageType.Suspension, new SuspensionMessageV7 { AwaitingOn = future });
        _phase = Phase.Closed;
        return new StateMachineException(ErrorCodes.Suspended, "The invocation suspended.");
    }

    /// <summary>
    /// The V7 wire form of the part of <paramref name="future"/> still pending; null when nothing is left to wait for.
    /// Settled subtrees are left out: a pending combinator's settled children cannot decide it any more (a success
    /// inside an all-of, a failure inside an any-of, any child of an all-settled), so the runtime need not see them.
    /// Leaves are inlined in their parent's id lists; combinators become nested futures.
    /// </summary>
    private Future? ToWireFuture(UnresolvedFuture future)
    {
        if (Reduce(future) != Outcome.Pending)
        {
            return null;
        }
        var wire = new Future();
        switch (future)
        {
            case UnresolvedFuture.Single single:
                wire.CombinatorType = CombinatorType.FirstCompleted;
                AddWireLeaf(wire, single.Handle);
                break;
            case UnresolvedFuture.Combinator combinator:
                wire.CombinatorType = combinator.Kind switch
                {
                    CombinatorKind.FirstCompleted => CombinatorType.FirstCompleted,
                    CombinatorKind.AllCompleted => CombinatorType.AllCompleted,
                    CombinatorKind.FirstSucceededOrAllFailed => CombinatorType.FirstSucceededOrAllFailed,
                    CombinatorKind.AllSucceededOrFirstFailed => CombinatorType.AllSucceededOrFirstFailed,
                    // The driver's root over independent awaits: any of them resuming is progress (read as FIRST_COMPLETED).
                    _ => CombinatorType.Unknown,
                };
                foreach (var child in combinator.Children)
                {
                    if (child is UnresolvedFuture.Single leaf)
                    {
                        AddWireLeaf(wire, leaf.Handle);
                    }
                    else if (ToWireFuture(child) is { } nested)
                    {
                        wire.NestedFutures.Add(nested);
                    }
                }
                break;
        }
        return wire.WaitingCompletions.Count + wire.WaitingSignals.Count + wire.WaitingNamedSignals.Count + wire.NestedFutures.Count == 0
            ? null
            : wire;
    }

    private void AddWireLeaf(Future wire, NotificationHandle handle) =>
        AddPendingId(handle, wire.WaitingCompletions, wire.WaitingSignals, wire.WaitingNamedSignals);

    /// <summary>
    /// Adds the id behind <paramref name="handle"/> to the list of its kind (V5/V6 suspension or V7 future, which share
    /// the three lists), once, unless it has no id yet or its notification already arrived.
    /// </summary>
    private void AddPendingId(NotificationHandle handle, RepeatedField<uint> completions, RepeatedField<uint> signals,
        RepeatedField<string> namedSignals)
    {
        if (!_handles.TryGetValue(handle.Value, out var id) || _ready.ContainsKey(id))
        {
            return;
        }
        switch (id.Kind)
        {
            case NotificationKind.Completion when !completions.Contains(id.Id):
                completions.Add(id.Id);
                break;
            case NotificationKind.Signal when !signals.Contains(id.Id):
                signals.Add(id.Id);
                break;
            case NotificationKind.NamedSignal when id.Name is { } name && !namedSignals.Contains(name):
                namedSignals.Add(name);
                break;
        }
    }

    private StateMachineException SuspendV6(UnresolvedFuture awaited)
    {
        var leaves = new List<NotificationHandle>();
        CollectPendingLeaves(awaited, leaves);
        if (ImplicitCancellation)
        {
            leaves.Add(NotificationHandle.Cancel);
        }
        var suspension = new SuspensionMessage();
        foreach (var leaf in leaves)
        {
            AddPendingId(leaf, suspension.WaitingCompletions, suspension.WaitingSignals, suspension.WaitingNamedSignals);
        }
        if (suspension.WaitingCompletions.Count + suspension.WaitingSignals.Count + suspension.WaitingNamedSignals.Count == 0)
        {
            return new StateMachineException(ErrorCodes.Internal,
                $"The handler awaits {DescribeLeaves(awaited)}, which can never complete: there is nothing to suspend on.");
        }
        Write(MessageType.Suspension, suspension);
        _phase = Phase.Closed;
        return new StateMachineException(ErrorCodes.Suspended, "The invocation suspended.");
    }

    /// <summary>
    /// The leaves the awaited tree still depends on. A subtree that already settled (e.g. an all-of that failed
    /// inside an all-settled) is skipped with all its leaves: waking up for them could not resolve the await.
    /// </summary>
    private void CollectPendingLeaves(UnresolvedFuture future, List<NotificationHandle> into)
    {
        if (Reduce(future) != Outcome.Pending)
        {
            return;
        }
        switch (future)
        {
            case UnresolvedFuture.Single single:
                into.Add(single.Handle);
                break;
            case UnresolvedFuture.Combinator combinator:
                foreach (var child in combinator.Children)
                {
                    CollectPendingLeaves(child, into);
                }
                break;
        }
    }

    private void WriteError(StateMachineException error)
    {
        var message = new ErrorMessage { Code = error.Code, Message = error.Message };
        if (error.Stacktrace is { } stacktrace)
        {
            message.Stacktrace = stacktrace;
        }
        if (error.RelatedCommand is { } related)
        {
            message.RelatedCommandIndex = related.Index;
            message.RelatedCommandType = (uint)related.Type;
            if (related.Name is { Length: > 0 } name)
            {
                message.RelatedCommandName = name;
            }
        }
        if (error.NextRetryDelay is { } delay)
        {
            message.NextRetryDelay = (ulong)Math.Max(0, delay.TotalMilliseconds);
        }
        if (ProtocolVersionNumber >= 7)
        {
            message.Behavior = error.Behavior ?? (error.Code == ErrorCodes.JournalMismatch
                ? OnJournalMismatch switch
                {
                    OnJournalMismatch.Pause => ErrorBehavior.Pause,
                    OnJournalMismatch.Fail => ErrorBehavior.Fail,
                    _ => ErrorBehavior.Retry,
                }
                : ErrorBehavior.Retry);
        }
        Write(MessageType.Error, message);
    }
}

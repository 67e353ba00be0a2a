using System.Buffers;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Restate.Sdk.Protocol;

namespace Restate.Sdk.Engine;

/// <summary>
/// The protocol engine for one invocation attempt. Pure and synchronous: it consumes input bytes, answers the SDK's
/// syscalls, and buffers output bytes; it never performs I/O and must be called from one thread at a time.
/// </summary>
/// <remarks>
/// Shaped like Restate's shared-core state machine. The lifecycle is WaitingStart → WaitingReplayEntries → Replaying →
/// Processing → Closed. Any failure is sticky: the state machine writes an ErrorMessage, closes its output and rethrows the same
/// error from every later call. This file holds the lifecycle and input handling; the syscalls, awaiting, runs and
/// the terminal messages (end, suspension, error) live in the other partial files.
/// </remarks>
internal sealed partial class InvocationStateMachine
{
    private const uint FirstUserHandle = 17;
    private const uint FirstAwakeableSignalId = 17;
    // Upper bound for presizing the replay queues from StartMessage.known_entries (24-byte elements: 96 KiB each), so
    // a bogus count cannot make the state machine allocate much up front; longer journals grow the queues as usual.
    private const int MaxPresizedEntries = 4096;

    private readonly FrameDecoder _decoder = new();
    private readonly ArrayBufferWriter<byte> _output = new(512);
    private readonly Queue<Frame> _replayCommands = new();
    // Received notifications not yet promoted to _ready. Only EnqueueNotification and TryDequeueNotification add or
    // remove items, so _queuedCompletions stays in step with it.
    private readonly Queue<(NotificationId Id, NotificationValue Value)> _toProcess = new();
    // Completion id -> how many notifications for it wait in _toProcess (counted, not flagged, so a completion that
    // arrives twice stays visible until both are promoted). SysRun's "is this result in the journal" is then one
    // lookup that allocates nothing. Signals are not tracked: SysRun only asks about completion ids.
    private readonly Dictionary<uint, int> _queuedCompletions = [];
    private readonly Dictionary<NotificationId, NotificationValue> _ready = [];
    private readonly Dictionary<uint, NotificationId> _handles = [];
    private readonly EagerState _state = new();

    private Phase _phase = Phase.WaitingStart;
    private StateMachineException? _failure;
    private bool _inputClosed;
    private StartMessage? _start;
    private uint _receivedEntries;
    private uint _nextHandle = FirstUserHandle;
    private uint _nextCompletionId = 1;
    private uint _nextSignalId = FirstAwakeableSignalId;
    private int _commandIndex = -1;
    private bool _processingFirstEntry;

    public InvocationStateMachine(int protocolVersion, bool implicitCancellation = true,
        OnJournalMismatch onJournalMismatch = OnJournalMismatch.Retry)
    {
        if (protocolVersion is < ProtocolVersion.Min or > ProtocolVersion.Max)
        {
            throw new ArgumentOutOfRangeException(nameof(protocolVersion), protocolVersion, "Unsupported protocol version.");
        }
        ProtocolVersionNumber = protocolVersion;
        ImplicitCancellation = implicitCancellation;
        OnJournalMismatch = onJournalMismatch;
        _handles[NotificationHandle.Cancel.Value] = NotificationId.Signal(1);
    }

    private enum Phase
    {
        WaitingStart,
        WaitingReplayEntries,
        Replaying,
        Processing,
        Closed,
    }

    public int ProtocolVersionNumber { get; }

    public bool ImplicitCancellation { get; }

    /// <summary>The behaviour a journal mismatch (570) asks of the runtime; sent with protocol V7 only.</summary>
    public OnJournalMismatch OnJournalMismatch { get; }

    /// <summary>
    /// True when this attempt ended with a journal mismatch that asked to pause or fail but, on a protocol before V7,
    /// could only be retried.
    /// </summary>
    public bool MismatchBehaviorUnsent =>
        ProtocolVersionNumber < 7 && OnJournalMismatch != OnJournalMismatch.Retry && _failure?.Code == ErrorCodes.JournalMismatch;

    public StateMachineState State => _failure is not null ? StateMachineState.Closed : _phase switch
    {
        Phase.WaitingStart or Phase.WaitingReplayEntries => StateMachineState.WaitingPreFlight,
        Phase.Replaying => StateMachineState.Replaying,
        Phase.Processing => StateMachineState.Processing,
        _ => StateMachineState.Closed,
    };

    /// <summary>Index of the last command issued or replayed (Input is 0; -1 before any).</summary>
    public int LastCommandIndex => _commandIndex;

    /// <summary>The error that ended this attempt, if any (suspension excluded).</summary>
    public StateMachineException? Failure => _failure;

    /// <summary>True once output is finished (End, Suspension or Error written, or nothing more may be written).</summary>
    public bool IsClosed => _phase == Phase.Closed;

    /// <summary>Feeds bytes of the request body. Never throws: a bad stream puts the state machine in its error state (571).</summary>
    public void NotifyInput(ReadOnlySpan<byte> chunk)
    {
        if (_failure is not null || _phase == Phase.Closed)
        {
            return;
        }
        try
        {
            // Payloads are views of the chunk (or of the decoder's buffer), valid until the next frame is read:
            // OnFrame parses Start and notifications at once and copies only the commands it queues for replay.
            var frames = _decoder.Read(chunk);
            while (frames.TryRead(out var type, out var flags, out var payload))
            {
                OnFrame(type, flags, payload);
            }
        }
        catch (StateMachineException e)
        {
            Fail(e);
        }
        catch (Exception e) when (e is ProtocolException or InvalidProtocolBufferException)
        {
            Fail(new StateMachineException(ErrorCodes.ProtocolViolation, $"Cannot decode the message stream from the runtime: {e.Message}"));
        }
    }

    /// <summary>The request body ended. Before all journal entries arrived this is a protocol violation (571).</summary>
    public void NotifyInputClosed()
    {
        _inputClosed = true;
        if (_failure is null && _phase is Phase.WaitingStart or Phase.WaitingReplayEntries)
        {
            var detail = _decoder.PendingBytes > 0 ? $" ({_decoder.PendingBytes} bytes of a truncated frame)" : string.Empty;
            Fail(new StateMachineException(ErrorCodes.ProtocolViolation,
                $"The request body ended before the invocation's journal was complete{detail}: received {_receivedEntries} of {_start?.KnownEntries ?? 0} entries."));
        }
    }

    public bool IsInputClosed => _inputClosed;

    /// <summary>True when the journal has arrived and user code may run; throws the sticky error if the state machine failed.</summary>
    public bool IsReadyToExecute()
    {
        if (_failure is not null)
        {
            throw _failure;
        }
        return _phase switch
        {
            Phase.WaitingStart or Phase.WaitingReplayEntries => false,
            Phase.Replaying or Phase.Processing => true,
            _ => throw StateMachineException.Closed(),
        };
    }

    /// <summary>Moves all buffered output bytes out of the state machine; empty when nothing is pending.</summary>
    public ReadOnlyMemory<byte> TakeOutput()
    {
        if (_output.WrittenCount == 0)
        {
            return ReadOnlyMemory<byte>.Empty;
        }
        var bytes = _output.WrittenSpan.ToArray();
        _output.ResetWrittenCount();
        return bytes;
    }

    /// <summary>Copies buffered output into <paramref name="destination"/>; returns the number of bytes moved.</summary>
    public int TakeOutput(IBufferWriter<byte> destination)
    {
        var count = _output.WrittenCount;
        if (count > 0)
        {
            destination.Write(_output.WrittenSpan);
            _output.ResetWrittenCount();
        }
        return count;
    }

    private void OnFrame(MessageType type, ushort flags, ReadOnlySpan<byte> payload)
    {
        if (type == MessageType.Start)
        {
            OnStart(StartMessage.Parser.ParseFrom(payload));
        }
        else if (type.IsCommand())
        {
            if (_phase != Phase.WaitingReplayEntries)
            {
                throw new StateMachineException(ErrorCodes.ProtocolViolation,
                    $"Received the command {type.Describe()} after the journal replay was complete; the runtime only sends commands while replaying.");
            }
            _replayCommands.Enqueue(new Frame(type, flags, payload.ToArray()));
            CountReplayEntry();
        }
        else if (type.IsNotification())
        {
            if (_phase == Phase.WaitingStart)
            {
                throw new StateMachineException(ErrorCodes.ProtocolViolation, $"Received {type.Describe()} before the StartMessage.");
            }
            var notification = DecodeNotification(type, payload);
            if (_proposedRuns.Count > 0 && notification.Id.Kind == NotificationKind.Completion)
            {
                // A runtime that echoes the result instead of acknowledging it: this notification is the result.
                _proposedRuns.Remove(notification.Id.Id);
            }
            EnqueueNotification(notification);
            if (_phase == Phase.WaitingReplayEntries)
            {
                CountReplayEntry();
            }
        }
        else if (type == MessageType.ProposeRunCompletionAck)
        {
            if (ProtocolVersionNumber < 7)
            {
                throw new StateMachineException(ErrorCodes.ProtocolViolation,
                    $"Received ProposeRunCompletionAck, a protocol V7 message, on an invocation that negotiated protocol V{ProtocolVersionNumber}.");
            }
            if (_phase is Phase.WaitingStart or Phase.WaitingReplayEntries)
            {
                throw new StateMachineException(ErrorCodes.ProtocolViolation,
                    "Received ProposeRunCompletionAck before the journal replay was complete; the runtime only acknowledges runs proposed in this attempt.");
            }
            OnRunCompletionAck(ProposeRunCompletionAckMessage.Parser.ParseFrom(payload).CompletionId);
        }
        else if (type != MessageType.CommandAck)
        {
            throw new StateMachineException(ErrorCodes.ProtocolViolation, $"Unexpected message {type.Describe()} from the runtime.");
        }
    }

    private void OnStart(StartMessage start)
    {
        if (_phase != Phase.WaitingStart)
        {
            throw new StateMachineException(ErrorCodes.ProtocolViolation, "Received a second StartMessage.");
        }
        if (start.KnownEntries == 0)
        {
            throw new StateMachineException(ErrorCodes.ProtocolViolation, "The StartMessage announces no journal entries; the input command is always the first.");
        }
        _start = start;
        // Until the replay starts the queues hold the journal: at most known_entries commands and, since the input
        // command is one of the entries, at most known_entries - 1 notifications. Presizing spares their regrowth.
        var presize = (int)Math.Min(start.KnownEntries, MaxPresizedEntries);
        _replayCommands.EnsureCapacity(presize);
        _toProcess.EnsureCapacity(presize - 1);
        _state.Initialize(start.StateMap, start.PartialState);
        _phase = Phase.WaitingReplayEntries;
    }

    private void CountReplayEntry()
    {
        _receivedEntries++;
        if (_receivedEntries == _start!.KnownEntries)
        {
            _phase = Phase.Replaying;
        }
    }

    private void EnqueueNotification((NotificationId Id, NotificationValue Value) notification)
    {
        _toProcess.Enqueue(notification);
        if (notification.Id.Kind == NotificationKind.Completion)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_queuedCompletions, notification.Id.Id, out _)++;
        }
    }

    private bool TryDequeueNotification(out (NotificationId Id, NotificationValue Value) notification)
    {
        if (!_toProcess.TryDequeue(out notification))
        {
            return false;
        }
        if (notification.Id.Kind == NotificationKind.Completion
            && --CollectionsMarshal.GetValueRefOrNullRef(_queuedCompletions, notification.Id.Id) == 0)
        {
            _queuedCompletions.Remove(notification.Id.Id);
        }
        return true;
    }

    /// <summary>True while a notification for <paramref name="completionId"/> waits to be promoted.</summary>
    private bool IsCompletionQueued(uint completionId) => _queuedCompletions.ContainsKey(completionId);

    private static (NotificationId Id, NotificationValue Value) DecodeNotification(MessageType type, ReadOnlySpan<byte> payload)
    {
        var message = NotificationTemplate.Parser.ParseFrom(payload);
        var id = message.IdCase switch
        {
            NotificationTemplate.IdOneofCase.CompletionId => NotificationId.Completion(message.CompletionId),
            NotificationTemplate.IdOneofCase.SignalId => NotificationId.Signal(message.SignalId),
            NotificationTemplate.IdOneofCase.SignalName => NotificationId.NamedSignal(message.SignalName),
            _ => throw new StateMachineException(ErrorCodes.ProtocolViolation, $"The notification {type.Describe()} carries no id."),
        };
        NotificationValue value = message.ResultCase switch
        {
            NotificationTemplate.ResultOneofCase.Void => NotificationValue.Void.Instance,
            NotificationTemplate.ResultOneofCase.Value => new NotificationValue.Success(message.Value.Content.Memory),
            NotificationTemplate.ResultOneofCase.Failure => new NotificationValue.Failure(ToTerminalFailure(message.Failure)),
            NotificationTemplate.ResultOneofCase.InvocationId => new NotificationValue.InvocationId(message.InvocationId),
            // Sorted like the eager keys, so the API answers the same order whichever way state is fetched.
            NotificationTemplate.ResultOneofCase.StateKeys => new NotificationValue.StateKeys(
                [.. message.StateKeys.Keys.Select(k => k.ToStringUtf8()).Order(StringComparer.Ordinal)]),
            _ => throw new StateMachineException(ErrorCodes.ProtocolViolation, $"The notification {type.Describe()} for {id} carries no result."),
        };
        return (id, value);
    }

    internal static TerminalFailure ToTerminalFailure(Failure failure) => new(
        (ushort)Math.Min(failure.Code, ushort.MaxValue),
        failure.Message,
        failure.Metadata.Select(m => KeyValuePair.Create(m.Key, m.Value)).ToArray());

    private Failure ToProto(TerminalFailure failure)
    {
        var proto = new Failure { Code = failure.Code, Message = failure.Message };
        if (ProtocolVersionNumber >= 6)
        {
            foreach (var (key, value) in failure.Metadata)
            {
                proto.Metadata.Add(new FailureMetadata { Key = key, Value = value });
            }
        }
        return proto;
    }

    private void Write(MessageType type, IMessage message, ushort flags = 0)
    {
        var size = message.CalculateSize();
        var span = _output.GetSpan(FrameHeader.Size + size);
        new FrameHeader(type, flags, (uint)size).Write(span);
        message.WriteTo(span.Slice(FrameHeader.Size, size));
        _output.Advance(FrameHeader.Size + size);
    }

    /// <summary>Throws unless user code may issue syscalls now (Replaying or Processing).</summary>
    private void EnsureRunning()
    {
        if (_failure is not null)
        {
            throw _failure;
        }
        switch (_phase)
        {
            case Phase.Replaying or Phase.Processing:
                return;
            case Phase.Closed:
                throw StateMachineException.Closed();
            default:
                throw new StateMachineException(ErrorCodes.ProtocolViolation, "User code ran before the journal was received.");
        }
    }

    /// <summary>Makes <paramref name="error"/> sticky; writes the ErrorMessage and closes output unless already closed.</summary>
    private StateMachineException Fail(StateMachineException error)
    {
        if (error.EndsAttemptQuietly)
        {
            return error;
        }
        if (_failure is not null)
        {
            return _failure;
        }
        _failure = error;
        if (_phase != Phase.Closed)
        {
            WriteError(error);
            _phase = Phase.Closed;
        }
        return error;
    }

    private NotificationHandle NewHandle(NotificationId id)
    {
        var handle = new NotificationHandle(_nextHandle++);
        _handles[handle.Value] = id;
        return handle;
    }

    private uint NextCompletionId() => _nextCompletionId++;
}

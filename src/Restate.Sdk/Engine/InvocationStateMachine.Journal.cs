using System.Buffers.Binary;
using System.Security.Cryptography;
using Google.Protobuf;
using Restate.Sdk.Protocol;

namespace Restate.Sdk.Engine;

// Syscalls that append a command to the journal (Processing) or check it against the replayed journal (Replaying).
internal sealed partial class InvocationStateMachine
{
    /// <summary>Pops the InputCommand; the first syscall of every attempt.</summary>
    public InvocationInput SysInput()
    {
        EnsureRunning();
        try
        {
            if (_phase != Phase.Replaying || _commandIndex != -1 || !_replayCommands.TryDequeue(out var frame)
                || frame.Type != MessageType.InputCommand)
            {
                throw new StateMachineException(ErrorCodes.ProtocolViolation, "The journal does not start with the input command.");
            }
            var input = InputCommandMessage.Parser.ParseFrom(frame.Payload.Span);
            _commandIndex = 0;
            EnterProcessingIfReplayDone();
            var start = _start!;
            return new InvocationInput(
                start.DebugId,
                start.Id.Memory,
                start.Key,
                input.Headers.Select(h => KeyValuePair.Create(h.Key, h.Value)).ToArray(),
                input.Value?.Content.Memory ?? ReadOnlyMemory<byte>.Empty,
                ProtocolVersionNumber >= 6 ? start.RandomSeed : SeedFromInvocationId(start.Id.Span),
                start.RetryCountSinceLastStoredEntry,
                start.HasIdempotencyKey ? start.IdempotencyKey : null,
                start.HasScope ? start.Scope : null,
                start.HasLimitKey ? start.LimitKey : null);
        }
        catch (StateMachineException e)
        {
            throw Fail(e);
        }
    }

    public NotificationHandle SysStateGet(string key)
    {
        EnsureRunning();
        try
        {
            var keyBytes = ByteString.CopyFromUtf8(key);
            if (_phase == Phase.Replaying)
            {
                var frame = PeekReplayCommand(MessageType.GetEagerStateCommand);
                if (frame.Type == MessageType.GetEagerStateCommand)
                {
                    var eager = ReplayCommand(MessageType.GetEagerStateCommand, new GetEagerStateCommandMessage { Key = keyBytes },
                        GetEagerStateCommandMessage.Parser, static (mine, journal) => mine.Key == journal.Key);
                    return LocalResult(eager.ResultCase == GetEagerStateCommandMessage.ResultOneofCase.Value
                        ? new NotificationValue.Success(eager.Value.Content.Memory)
                        : NotificationValue.Void.Instance);
                }
                return LazyStateGet(keyBytes);
            }
            if (_state.TryGet(key, out var known))
            {
                var command = new GetEagerStateCommandMessage { Key = keyBytes };
                if (known is { } value)
                {
                    // No copy: the eager state holds only ByteString memory, which is never mutated (EagerState).
                    command.Value = new Value { Content = UnsafeByteOperations.UnsafeWrap(value) };
                }
                else
                {
                    command.Void = new VoidResult();
                }
                AppendCommand(MessageType.GetEagerStateCommand, command);
                return LocalResult(known is { } v ? new NotificationValue.Success(v) : NotificationValue.Void.Instance);
            }
            return LazyStateGet(keyBytes);
        }
        catch (StateMachineException e)
        {
            throw Fail(e);
        }
    }

    public NotificationHandle SysStateGetKeys()
    {
        EnsureRunning();
        try
        {
            var replayingEager = _phase == Phase.Replaying
                && PeekReplayCommand(MessageType.GetEagerStateKeysCommand).Type == MessageType.GetEagerStateKeysCommand;
            if (replayingEager || (_phase == Phase.Processing && _state.IsComplete))
            {
                var command = new GetEagerStateKeysCommandMessage { Value = new StateKeys() };
                if (!replayingEager)
                {
                    command.Value.Keys.AddRange(_state.Keys().Select(ByteString.CopyFromUtf8));
                }
                var journaled = CommandOrReplay(MessageType.GetEagerStateKeysCommand, command,
                    GetEagerStateKeysCommandMessage.Parser, static (_, _) => true);
                return LocalResult(new NotificationValue.StateKeys(
                    journaled.Value.Keys.Select(k => k.ToStringUtf8()).ToArray()));
            }
            var completionId = NextCompletionId();
            CommandOrReplay(MessageType.GetLazyStateKeysCommand,
                new GetLazyStateKeysCommandMessage { ResultCompletionId = completionId }, GetLazyStateKeysCommandMessage.Parser);
            return NewHandle(NotificationId.Completion(completionId));
        }
        catch (StateMachineException e)
        {
            throw Fail(e);
        }
    }

    public void SysStateSet(string key, ReadOnlyMemory<byte> value)
    {
        EnsureRunning();
        // One copy of the caller's bytes, shared by the command and the eager state: ByteString content never changes,
        // and the caller may reuse its buffer afterwards.
        var content = ByteString.CopyFrom(value.Span);
        Journal(MessageType.SetStateCommand, new SetStateCommandMessage
        {
            Key = ByteString.CopyFromUtf8(key),
            Value = new Value { Content = content },
        }, SetStateCommandMessage.Parser);
        _state.Set(key, content);
    }

    public void SysStateClear(string key)
    {
        EnsureRunning();
        Journal(MessageType.ClearStateCommand, new ClearStateCommandMessage { Key = ByteString.CopyFromUtf8(key) },
            ClearStateCommandMessage.Parser);
        _state.Clear(key);
    }

    public void SysStateClearAll()
    {
        EnsureRunning();
        Journal(MessageType.ClearAllStateCommand, new ClearAllStateCommandMessage(), ClearAllStateCommandMessage.Parser);
        _state.ClearAll();
    }

    /// <summary>A durable timer; <paramref name="wakeUpTime"/> is absolute (on replay the journaled time wins).</summary>
    public NotificationHandle SysSleep(DateTimeOffset wakeUpTime, string name)
    {
        EnsureRunning();
        var completionId = NextCompletionId();
        Journal(MessageType.SleepCommand, new SleepCommandMessage
        {
            WakeUpTime = (ulong)Math.Max(0, wakeUpTime.ToUnixTimeMilliseconds()),
            ResultCompletionId = completionId,
            Name = name,
        }, SleepCommandMessage.Parser, static (mine, journal) =>
            mine.Name == journal.Name && mine.ResultCompletionId == journal.ResultCompletionId);
        return NewHandle(NotificationId.Completion(completionId));
    }

    /// <summary>
    /// A request-response call. <paramref name="scope"/> and <paramref name="limitKey"/> (protocol V7) go into the
    /// command only when set; before V7 setting either ends the attempt with a retryable 573.
    /// </summary>
    public CallHandles SysCall(CallAddress target, ReadOnlyMemory<byte> parameter,
        IReadOnlyList<KeyValuePair<string, string>>? headers, string? idempotencyKey, string name,
        string? scope = null, string? limitKey = null)
    {
        EnsureRunning();
        ValidateIdempotencyKey(idempotencyKey);
        ValidateScope(scope, limitKey, "A call");
        var invocationIdCompletion = NextCompletionId();
        var resultCompletion = NextCompletionId();
        var command = new CallCommandMessage
        {
            ServiceName = target.Service,
            HandlerName = target.Handler,
            Parameter = ByteString.CopyFrom(parameter.Span),
            Key = target.Key ?? string.Empty,
            InvocationIdNotificationIdx = invocationIdCompletion,
            ResultCompletionId = resultCompletion,
            Name = name,
        };
        AddHeaders(command.Headers, headers);
        if (idempotencyKey is not null)
        {
            command.IdempotencyKey = idempotencyKey;
        }
        if (scope is not null)
        {
            command.Scope = scope;
        }
        if (limitKey is not null)
        {
            command.LimitKey = limitKey;
        }
        // On replay the whole message is compared, scope and limit key included: a changed scope is a journal mismatch.
        Journal(MessageType.CallCommand, command, CallCommandMessage.Parser);
        var invocationIdHandle = NewHandle(NotificationId.Completion(invocationIdCompletion));
        TrackChildCall(invocationIdHandle);
        return new CallHandles(invocationIdHandle, NewHandle(NotificationId.Completion(resultCompletion)));
    }

    /// <summary>A one-way call; <paramref name="invokeTime"/> null means now. Returns the handle of the callee's invocation id.</summary>
    public NotificationHandle SysSend(CallAddress target, ReadOnlyMemory<byte> parameter,
        IReadOnlyList<KeyValuePair<string, string>>? headers, string? idempotencyKey, DateTimeOffset? invokeTime, string name,
        string? scope = null, string? limitKey = null)
    {
        EnsureRunning();
        ValidateIdempotencyKey(idempotencyKey);
        ValidateScope(scope, limitKey, "A send");
        var invocationIdCompletion = NextCompletionId();
        var command = new OneWayCallCommandMessage
        {
            ServiceName = target.Service,
            HandlerName = target.Handler,
            Parameter = ByteString.CopyFrom(parameter.Span),
            Key = target.Key ?? string.Empty,
            InvokeTime = invokeTime is { } at ? (ulong)Math.Max(0, at.ToUnixTimeMilliseconds()) : 0,
            InvocationIdNotificationIdx = invocationIdCompletion,
            Name = name,
        };
        AddHeaders(command.Headers, headers);
        if (idempotencyKey is not null)
        {
            command.IdempotencyKey = idempotencyKey;
        }
        if (scope is not null)
        {
            command.Scope = scope;
        }
        if (limitKey is not null)
        {
            command.LimitKey = limitKey;
        }
        Journal(MessageType.OneWayCallCommand, command, OneWayCallCommandMessage.Parser, static (mine, journal) =>
        {
            // The invoke time is computed from the wall clock, so it legitimately differs on replay.
            var comparable = journal.Clone();
            comparable.InvokeTime = mine.InvokeTime;
            return mine.Equals(comparable);
        });
        return NewHandle(NotificationId.Completion(invocationIdCompletion));
    }

    /// <summary>Allocates an awakeable: a signal id and the string id others use to complete it. Writes nothing.</summary>
    public (string Id, NotificationHandle Handle) SysAwakeable()
    {
        EnsureRunning();
        var signalId = _nextSignalId++;
        Span<byte> raw = stackalloc byte[_start!.Id.Length + 4];
        _start.Id.Span.CopyTo(raw);
        BinaryPrimitives.WriteUInt32BigEndian(raw[_start.Id.Length..], signalId);
        var id = "sign_1" + System.Buffers.Text.Base64Url.EncodeToString(raw);
        return (id, NewHandle(NotificationId.Signal(signalId)));
    }

    /// <summary>
    /// Whether <paramref name="id"/> has the shape of an awakeable id restate-server can decode: <c>sign_1</c> (or the
    /// older <c>prom_1</c>) and the base64url of an invocation id, as long as this invocation's, plus a 4-byte index.
    /// A completion with any other id fails at the server on every retry, so it is refused before it is journaled.
    /// </summary>
    public bool IsAwakeableId(string id)
    {
        EnsureRunning();
        if (!(id.StartsWith("sign_1", StringComparison.Ordinal) || id.StartsWith("prom_1", StringComparison.Ordinal)))
        {
            return false;
        }
        var encoded = id.AsSpan(6);
        var bytes = _start!.Id.Length + 4;
        // Unpadded, without whitespace (which IsValid would skip): exactly the characters those bytes encode to.
        return encoded.Length == (bytes * 4 + 2) / 3 && System.Buffers.Text.Base64Url.IsValid(encoded, out var length) && length == bytes;
    }

    public void SysCompleteAwakeable(string awakeableId, NotificationValue value)
    {
        EnsureRunning();
        var command = new CompleteAwakeableCommandMessage { AwakeableId = awakeableId };
        SetOutcome(value, v => command.Value = v, f => command.Failure = f, "An awakeable's completion");
        Journal(MessageType.CompleteAwakeableCommand, command, CompleteAwakeableCommandMessage.Parser);
    }

    /// <summary>A handle on the named signal <paramref name="name"/> of this invocation. Writes nothing.</summary>
    public NotificationHandle CreateSignalHandle(string name)
    {
        EnsureRunning();
        return NewHandle(NotificationId.NamedSignal(name));
    }

    public void SysCompleteSignal(string targetInvocationId, string signalName, NotificationValue value)
    {
        EnsureRunning();
        var command = new SendSignalCommandMessage { TargetInvocationId = targetInvocationId, Name = signalName };
        SetSignalResult(command, value);
        Journal(MessageType.SendSignalCommand, command, SendSignalCommandMessage.Parser);
    }

    public NotificationHandle SysGetPromise(string key)
    {
        EnsureRunning();
        var completionId = NextCompletionId();
        Journal(MessageType.GetPromiseCommand, new GetPromiseCommandMessage { Key = key, ResultCompletionId = completionId },
            GetPromiseCommandMessage.Parser);
        return NewHandle(NotificationId.Completion(completionId));
    }

    public NotificationHandle SysPeekPromise(string key)
    {
        EnsureRunning();
        var completionId = NextCompletionId();
        Journal(MessageType.PeekPromiseCommand, new PeekPromiseCommandMessage { Key = key, ResultCompletionId = completionId },
            PeekPromiseCommandMessage.Parser);
        return NewHandle(NotificationId.Completion(completionId));
    }

    /// <summary>Completes a workflow promise; the notification is Void when it took effect, a Failure when it was already completed.</summary>
    public NotificationHandle SysCompletePromise(string key, NotificationValue value)
    {
        EnsureRunning();
        var completionId = NextCompletionId();
        var command = new CompletePromiseCommandMessage { Key = key, ResultCompletionId = completionId };
        SetOutcome(value, v => command.CompletionValue = v, f => command.CompletionFailure = f, "A promise's completion");
        Journal(MessageType.CompletePromiseCommand, command, CompletePromiseCommandMessage.Parser);
        return NewHandle(NotificationId.Completion(completionId));
    }

    /// <summary>Asks the runtime to cancel another invocation (the built-in cancel signal, id 1).</summary>
    public void SysCancelInvocation(string targetInvocationId)
    {
        EnsureRunning();
        var command = new SendSignalCommandMessage { TargetInvocationId = targetInvocationId, Idx = 1, Void = new VoidResult() };
        Journal(MessageType.SendSignalCommand, command, SendSignalCommandMessage.Parser);
    }

    public NotificationHandle SysAttachInvocation(InvocationTarget target)
    {
        EnsureRunning();
        var completionId = NextCompletionId();
        var command = new AttachInvocationCommandMessage { ResultCompletionId = completionId };
        SetTarget(target, id => command.InvocationId = id, workflow => command.WorkflowTarget = workflow,
            idempotent => command.IdempotentRequestTarget = idempotent);
        Journal(MessageType.AttachInvocationCommand, command, AttachInvocationCommandMessage.Parser);
        return NewHandle(NotificationId.Completion(completionId));
    }

    /// <summary>Reads another invocation's output without waiting: Void when it has not finished yet.</summary>
    public NotificationHandle SysGetInvocationOutput(InvocationTarget target)
    {
        EnsureRunning();
        var completionId = NextCompletionId();
        var command = new GetInvocationOutputCommandMessage { ResultCompletionId = completionId };
        SetTarget(target, id => command.InvocationId = id, workflow => command.WorkflowTarget = workflow,
            idempotent => command.IdempotentRequestTarget = idempotent);
        Journal(MessageType.GetInvocationOutputCommand, command, GetInvocationOutputCommandMessage.Parser);
        return NewHandle(NotificationId.Completion(completionId));
    }

    public void SysWriteOutput(NotificationValue value)
    {
        EnsureRunning();
        var command = new OutputCommandMessage();
        SetOutcome(value, v => command.Value = v, f => command.Failure = f, "The output");
        Journal(MessageType.OutputCommand, command, OutputCommandMessage.Parser);
    }

    private NotificationHandle LazyStateGet(ByteString key)
    {
        var completionId = NextCompletionId();
        CommandOrReplay(MessageType.GetLazyStateCommand,
            new GetLazyStateCommandMessage { Key = key, ResultCompletionId = completionId }, GetLazyStateCommandMessage.Parser);
        return NewHandle(NotificationId.Completion(completionId));
    }

    private NotificationHandle LocalResult(NotificationValue value)
    {
        var id = new NotificationId(NotificationKind.Local, _nextHandle);
        _ready[id] = value;
        return NewHandle(id);
    }

    /// <summary>Journals a command whose payload has no result to read back, translating state machine errors into the sticky failure.</summary>
    private void Journal<T>(MessageType type, T command, MessageParser<T> parser, Func<T, T, bool>? equal = null)
        where T : IMessage<T>
    {
        try
        {
            CommandOrReplay(type, command, parser, equal);
        }
        catch (StateMachineException e)
        {
            throw Fail(e);
        }
    }

    /// <summary>Processing: writes the command. Replaying: pops the next journaled command and checks it matches (570 if not).</summary>
    private T CommandOrReplay<T>(MessageType type, T command, MessageParser<T> parser, Func<T, T, bool>? equal = null)
        where T : IMessage<T>
    {
        if (_phase == Phase.Processing)
        {
            AppendCommand(type, command);
            return command;
        }
        return ReplayCommand(type, command, parser, equal ?? (static (mine, journal) => mine.Equals(journal)));
    }

    private void AppendCommand(MessageType type, IMessage command)
    {
        Write(type, command);
        _commandIndex++;
        _processingFirstEntry = false;
    }

    private T ReplayCommand<T>(MessageType type, T command, MessageParser<T> parser, Func<T, T, bool> equal)
        where T : IMessage<T>
    {
        var frame = _replayCommands.Dequeue();
        _commandIndex++;
        var related = new RelatedCommand((uint)_commandIndex, type, null);
        if (frame.Type != type)
        {
            throw new StateMachineException(ErrorCodes.JournalMismatch,
                $"Journal mismatch at command {_commandIndex}: the handler now issues {type.Describe()}, but the journal holds {frame.Type.Describe()}. " +
                "Handler code must issue the same commands in the same order on every attempt; deploy changed code as a new deployment.",
                related);
        }
        var journaled = parser.ParseFrom(frame.Payload.Span);
        if (!equal(command, journaled))
        {
            throw new StateMachineException(ErrorCodes.JournalMismatch,
                $"Journal mismatch at command {_commandIndex} ({type.Describe()}): the handler now issues {Truncate(command.ToString() ?? string.Empty)}, " +
                $"but the journal holds {Truncate(journaled.ToString() ?? string.Empty)}. Handler code must be deterministic: use RunAsync for side effects and ctx.Random/ctx.NowAsync for randomness and time.",
                related);
        }
        EnterProcessingIfReplayDone();
        return journaled;
    }

    /// <summary>The next replayed command, or a 570 when user code issues more commands than the journal holds.</summary>
    private Frame PeekReplayCommand(MessageType wanted)
    {
        if (!_replayCommands.TryPeek(out var frame))
        {
            throw new StateMachineException(ErrorCodes.ProtocolViolation, $"Replaying {wanted.Describe()} but the journal has no more commands.");
        }
        return frame;
    }

    private void EnterProcessingIfReplayDone()
    {
        if (_phase == Phase.Replaying && _replayCommands.Count == 0)
        {
            _phase = Phase.Processing;
            _processingFirstEntry = true;
        }
    }

    private static void AddHeaders(Google.Protobuf.Collections.RepeatedField<Header> into,
        IReadOnlyList<KeyValuePair<string, string>>? headers)
    {
        if (headers is null)
        {
            return;
        }
        foreach (var (key, value) in headers)
        {
            into.Add(new Header { Key = key, Value = value });
        }
    }

    private void SetSignalResult(SendSignalCommandMessage command, NotificationValue value)
    {
        if (value is NotificationValue.Void)
        {
            command.Void = new VoidResult();
            return;
        }
        SetOutcome(value, v => command.Value = v, f => command.Failure = f, "A signal");
    }

    /// <summary>Output, awakeable, promise and signal completions all carry a value or a failure, in their own fields.</summary>
    private void SetOutcome(NotificationValue value, Action<Value> setValue, Action<Failure> setFailure, string what)
    {
        switch (value)
        {
            case NotificationValue.Success success:
                setValue(new Value { Content = ByteString.CopyFrom(success.Bytes.Span) });
                break;
            case NotificationValue.Failure failure:
                setFailure(ToProto(failure.Error));
                break;
            default:
                throw new ArgumentException($"{what} is a value or a failure, not {value}.", nameof(value));
        }
    }

    /// <summary>
    /// Scope and limit key must be well formed (<see cref="ScopeRules"/>; a caller's bug, so an ArgumentException) and
    /// need protocol V7. Before V7 the attempt ends with 573, retryable: the deployment is not wrong, the server runs
    /// without V7, and once restate-server runs with V7 enabled the retry negotiates V7 and the same code succeeds.
    /// </summary>
    private void ValidateScope(string? scope, string? limitKey, string what)
    {
        if (scope is null && limitKey is null)
        {
            return;
        }
        ScopeRules.Validate(scope, limitKey, scope is null ? nameof(limitKey) : nameof(scope));
        if (ProtocolVersionNumber < 7)
        {
            throw Fail(new StateMachineException(ErrorCodes.UnsupportedFeature,
                $"{what} with a scope or limit key needs service protocol V7, but this invocation negotiated V{ProtocolVersionNumber}: " +
                "restate-server speaks V7 only when run with RESTATE_EXPERIMENTAL_ENABLE_PROTOCOL_V7=true (and applies scopes only with " +
                "RESTATE_EXPERIMENTAL_ENABLE_VQUEUES=true). The attempt is retried, and succeeds once the server runs with V7."));
        }
    }

    private static void ValidateIdempotencyKey(string? idempotencyKey)
    {
        if (idempotencyKey is { Length: 0 })
        {
            throw new ArgumentException("An idempotency key must not be empty.", nameof(idempotencyKey));
        }
    }

    /// <summary>Attach and GetInvocationOutput address their target through the same three-way oneof.</summary>
    private static void SetTarget(InvocationTarget target, Action<string> byId, Action<WorkflowTarget> workflow,
        Action<IdempotentRequestTarget> idempotent)
    {
        switch (target)
        {
            case InvocationTarget.ById id:
                byId(id.InvocationId);
                break;
            case InvocationTarget.Workflow w:
                workflow(ToProto(w));
                break;
            case InvocationTarget.Idempotent i:
                idempotent(ToProto(i));
                break;
        }
    }

    private static WorkflowTarget ToProto(InvocationTarget.Workflow target) =>
        new() { WorkflowName = target.Name, WorkflowKey = target.Key };

    private static IdempotentRequestTarget ToProto(InvocationTarget.Idempotent target)
    {
        var proto = new IdempotentRequestTarget
        {
            ServiceName = target.Service,
            HandlerName = target.Handler,
            IdempotencyKey = target.IdempotencyKey,
        };
        if (target.Key is not null)
        {
            proto.ServiceKey = target.Key;
        }
        return proto;
    }

    /// <summary>Protocol V5 has no random seed in the StartMessage: derive a stable one from the invocation id.</summary>
    private static ulong SeedFromInvocationId(ReadOnlySpan<byte> invocationId)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(invocationId, hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash);
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : string.Concat(text.AsSpan(0, 300), "…");
}

using System.Text;
using Google.Protobuf;
using Restate.Sdk.Protocol;

namespace Restate.Sdk.Tests.Engine;

/// <summary>Encodes the frames the runtime sends, and decodes the frames the state machine writes.</summary>
internal static class Frames
{
    /// <summary>The raw 24-byte invocation id used by <see cref="Start"/> unless a test passes another one.</summary>
    public static readonly byte[] InvocationId = [.. Enumerable.Range(0xA0, 24).Select(i => (byte)i)];

    public const string DebugId = "inv_1testinvocation";

    private static readonly Dictionary<MessageType, MessageParser> OutputParsers = new()
    {
        [MessageType.Suspension] = SuspensionMessage.Parser,
        [MessageType.Error] = ErrorMessage.Parser,
        [MessageType.End] = EndMessage.Parser,
        [MessageType.ProposeRunCompletion] = ProposeRunCompletionMessage.Parser,
        [MessageType.InputCommand] = InputCommandMessage.Parser,
        [MessageType.OutputCommand] = OutputCommandMessage.Parser,
        [MessageType.GetLazyStateCommand] = GetLazyStateCommandMessage.Parser,
        [MessageType.SetStateCommand] = SetStateCommandMessage.Parser,
        [MessageType.ClearStateCommand] = ClearStateCommandMessage.Parser,
        [MessageType.ClearAllStateCommand] = ClearAllStateCommandMessage.Parser,
        [MessageType.GetLazyStateKeysCommand] = GetLazyStateKeysCommandMessage.Parser,
        [MessageType.GetEagerStateCommand] = GetEagerStateCommandMessage.Parser,
        [MessageType.GetEagerStateKeysCommand] = GetEagerStateKeysCommandMessage.Parser,
        [MessageType.GetPromiseCommand] = GetPromiseCommandMessage.Parser,
        [MessageType.PeekPromiseCommand] = PeekPromiseCommandMessage.Parser,
        [MessageType.CompletePromiseCommand] = CompletePromiseCommandMessage.Parser,
        [MessageType.SleepCommand] = SleepCommandMessage.Parser,
        [MessageType.CallCommand] = CallCommandMessage.Parser,
        [MessageType.OneWayCallCommand] = OneWayCallCommandMessage.Parser,
        [MessageType.SendSignalCommand] = SendSignalCommandMessage.Parser,
        [MessageType.RunCommand] = RunCommandMessage.Parser,
        [MessageType.AttachInvocationCommand] = AttachInvocationCommandMessage.Parser,
        [MessageType.GetInvocationOutputCommand] = GetInvocationOutputCommandMessage.Parser,
        [MessageType.CompleteAwakeableCommand] = CompleteAwakeableCommandMessage.Parser,
    };

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>One frame: 8-byte big-endian header (type, flags, length) and the protobuf payload.</summary>
    public static byte[] Encode(MessageType type, IMessage message, ushort flags = 0)
    {
        var payload = message.ToByteArray();
        var frame = new byte[FrameHeader.Size + payload.Length];
        new FrameHeader(type, flags, (uint)payload.Length).Write(frame);
        payload.CopyTo(frame.AsSpan(FrameHeader.Size));
        return frame;
    }

    public static byte[] Start(uint knownEntries, string key = "", IReadOnlyDictionary<string, string>? state = null,
        bool partial = true, uint retryCount = 0, ulong durationMs = 0, ulong seed = 0, byte[]? id = null,
        string debugId = DebugId, string? idempotencyKey = null, string? scope = null, string? limitKey = null)
    {
        var start = new StartMessage
        {
            Id = ByteString.CopyFrom(id ?? InvocationId),
            DebugId = debugId,
            KnownEntries = knownEntries,
            PartialState = partial,
            Key = key,
            RetryCountSinceLastStoredEntry = retryCount,
            DurationSinceLastStoredEntry = durationMs,
            RandomSeed = seed,
        };
        if (idempotencyKey is not null)
        {
            start.IdempotencyKey = idempotencyKey;
        }
        if (scope is not null)
        {
            start.Scope = scope;
        }
        if (limitKey is not null)
        {
            start.LimitKey = limitKey;
        }
        foreach (var (k, v) in state ?? new Dictionary<string, string>())
        {
            start.StateMap.Add(new StartMessage.Types.StateEntry { Key = ByteString.CopyFromUtf8(k), Value = ByteString.CopyFromUtf8(v) });
        }
        return Encode(MessageType.Start, start);
    }

    public static byte[] Input(string json, params (string Key, string Value)[] headers)
    {
        var input = new InputCommandMessage { Value = Value(json) };
        foreach (var (key, value) in headers)
        {
            input.Headers.Add(new Header { Key = key, Value = value });
        }
        return Encode(MessageType.InputCommand, input);
    }

    /// <summary>A replayed journal command.</summary>
    public static byte[] Command(MessageType type, IMessage command)
    {
        Assert.True(type.IsCommand(), $"{type} is not a command type");
        return Encode(type, command);
    }

    /// <summary>
    /// A notification: exactly one id (completion id, signal id or signal name) and exactly one result
    /// (value, failure, void, invocation id or state keys).
    /// </summary>
    public static byte[] Notification(MessageType type, uint? completionId = null, uint? signalId = null,
        string? signalName = null, string? value = null, Failure? failure = null, bool isVoid = false,
        string? invocationId = null, string[]? stateKeys = null)
    {
        Assert.True(type.IsNotification(), $"{type} is not a notification type");
        var n = new NotificationTemplate();
        var ids = 0;
        if (completionId is { } cid)
        {
            n.CompletionId = cid;
            ids++;
        }
        if (signalId is { } sid)
        {
            n.SignalId = sid;
            ids++;
        }
        if (signalName is not null)
        {
            n.SignalName = signalName;
            ids++;
        }
        var results = 0;
        if (value is not null)
        {
            n.Value = Value(value);
            results++;
        }
        if (failure is not null)
        {
            n.Failure = failure;
            results++;
        }
        if (isVoid)
        {
            n.Void = new VoidResult();
            results++;
        }
        if (invocationId is not null)
        {
            n.InvocationId = invocationId;
            results++;
        }
        if (stateKeys is not null)
        {
            n.StateKeys = new StateKeys();
            n.StateKeys.Keys.AddRange(stateKeys.Select(ByteString.CopyFromUtf8));
            results++;
        }
        Assert.True(ids == 1 && results == 1, "a notification has exactly one id and one result");
        return Encode(type, n);
    }

    /// <summary>A SignalNotification (0xFBFF) by signal index; the runtime's way to deliver cancel and awakeables.</summary>
    public static byte[] Signal(uint signalId, string? value = null, Failure? failure = null) =>
        Notification(MessageType.SignalNotification, signalId: signalId, value: value, failure: failure,
            isVoid: value is null && failure is null);

    public static byte[] Cancel() => Signal(1);

    public static Value Value(string json) => new() { Content = ByteString.CopyFromUtf8(json) };

    public static Failure Fail(uint code, string message, params (string Key, string Value)[] metadata)
    {
        var failure = new Failure { Code = code, Message = message };
        foreach (var (key, value) in metadata)
        {
            failure.Metadata.Add(new FailureMetadata { Key = key, Value = value });
        }
        return failure;
    }

    /// <summary>
    /// Decodes everything the state machine wrote; every byte must belong to a whole, known frame. A SuspensionMessage
    /// is read as <see cref="SuspensionMessageV7"/> for <paramref name="version"/> 7 and later (same type id, new layout).
    /// </summary>
    public static List<OutputFrame> Decode(ReadOnlySpan<byte> bytes, int version = 6)
    {
        var frames = new List<OutputFrame>();
        while (!bytes.IsEmpty)
        {
            Assert.True(bytes.Length >= FrameHeader.Size, $"{bytes.Length} trailing bytes do not form a frame header");
            var header = FrameHeader.Read(bytes);
            Assert.True(bytes.Length - FrameHeader.Size >= header.Length, $"frame {header.Type} is truncated");
            var payload = bytes.Slice(FrameHeader.Size, (int)header.Length).ToArray();
            Assert.True(OutputParsers.TryGetValue(header.Type, out var parser), $"the state machine wrote an unexpected frame type {header.Type.Describe()}");
            if (header.Type == MessageType.Suspension && version >= 7)
            {
                parser = SuspensionMessageV7.Parser;
            }
            frames.Add(new OutputFrame(header.Type, header.Flags, parser.ParseFrom(payload), payload));
            bytes = bytes[(FrameHeader.Size + (int)header.Length)..];
        }
        return frames;
    }

    /// <summary>The top-level protobuf field numbers of a payload, in wire order (to check the byte-level layout).</summary>
    public static List<int> FieldNumbers(byte[] payload)
    {
        var numbers = new List<int>();
        var input = new CodedInputStream(payload);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            numbers.Add(WireFormat.GetTagFieldNumber(tag));
            input.SkipLastField();
        }
        return numbers;
    }
}

/// <summary>One frame written by the state machine: its header fields, the decoded message and the raw payload.</summary>
internal sealed record OutputFrame(MessageType Type, ushort Flags, IMessage Message, byte[] Payload)
{
    public T As<T>()
        where T : IMessage => Assert.IsType<T>(Message);

    public override string ToString() => $"{Type.Describe()} {Message}";
}

using System.Buffers;
using Google.Protobuf;
using Restate.Sdk.Protocol;

namespace Restate.Sdk.Benchmarks;

/// <summary>Builds request bodies the way restate-server sends them: a header and a protobuf payload per frame.</summary>
internal sealed class Journal
{
    private readonly ArrayBufferWriter<byte> _bytes = new();

    public Journal Add(MessageType type, IMessage message)
    {
        var size = message.CalculateSize();
        var span = _bytes.GetSpan(FrameHeader.Size + size);
        new FrameHeader(type, 0, (uint)size).Write(span);
        message.WriteTo(span.Slice(FrameHeader.Size, size));
        _bytes.Advance(FrameHeader.Size + size);
        return this;
    }

    public byte[] ToArray() => _bytes.WrittenSpan.ToArray();

    /// <summary>The request of a first attempt with nothing journaled: Start (one known entry) and Input <paramref name="json"/>.</summary>
    public static byte[] FirstAttempt(string json) => new Journal()
        .Add(MessageType.Start, Start(1))
        .Add(MessageType.InputCommand, Input(json))
        .ToArray();

    /// <summary>The run name of the fan-out journal.</summary>
    public const string FanOutRunName = "reserve-seat";

    /// <summary>
    /// The journal of a handler that started <paramref name="runs"/> runs before awaiting any: Start (known_entries =
    /// 1 + 2 × runs), Input, runs × RunCommand, then the runs' completions in reverse order (the last run finished first),
    /// run i completing with <see cref="FanOutValue"/>(i).
    /// </summary>
    public static byte[] FanOut(int runs)
    {
        var journal = new Journal()
            .Add(MessageType.Start, Start((uint)(1 + (2 * runs))))
            .Add(MessageType.InputCommand, Input("{\"guests\":2}"));
        for (var i = 1u; i <= runs; i++)
        {
            journal.Add(MessageType.RunCommand, Run(i, FanOutRunName));
        }
        for (var i = (uint)runs; i >= 1; i--)
        {
            journal.Add(MessageType.RunCompletionNotification, RunCompletion(i, FanOutValue(i)));
        }
        return journal.ToArray();
    }

    /// <summary>What run <paramref name="i"/> (1-based) of <see cref="FanOut"/> returned.</summary>
    public static byte[] FanOutValue(uint i) => System.Text.Encoding.UTF8.GetBytes($"{{\"seat\":\"s-{i:D5}\"}}");

    public static StartMessage Start(uint knownEntries) => new()
    {
        Id = ByteString.CopyFrom(Enumerable.Range(1, 26).Select(i => (byte)i).ToArray()),
        DebugId = "inv_1bench0000000000000000000000",
        KnownEntries = knownEntries,
        Key = "bench-key",
        RandomSeed = 42,
    };

    public static InputCommandMessage Input(string json) => new()
    {
        Value = new Value { Content = ByteString.CopyFromUtf8(json) },
    };

    public static RunCommandMessage Run(uint completionId, string name) => new()
    {
        ResultCompletionId = completionId,
        Name = name,
    };

    public static NotificationTemplate RunCompletion(uint completionId, ReadOnlySpan<byte> value) => new()
    {
        CompletionId = completionId,
        Value = new Value { Content = ByteString.CopyFrom(value) },
    };

    /// <summary>Splits <paramref name="body"/> into frames, for checking what a state machine wrote.</summary>
    public static List<MessageType> FrameTypes(ReadOnlySpan<byte> body)
    {
        var decoder = new FrameDecoder();
        decoder.Append(body);
        var types = new List<MessageType>();
        while (decoder.TryRead(out var frame))
        {
            types.Add(frame.Type);
        }
        if (decoder.PendingBytes != 0)
        {
            throw new InvalidOperationException($"{decoder.PendingBytes} bytes of a truncated frame in the output.");
        }
        return types;
    }
}

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

    /// <summary>Splits <paramref name="body"/> into frames, for checking what a VM wrote.</summary>
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

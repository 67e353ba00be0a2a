using System.Text;
using Google.Protobuf;
using Restate.Sdk.Protocol;

namespace Restate.Sdk.Lambda.Tests;

/// <summary>Encodes what restate-server sends for an invocation (Start + Input) and decodes what the SDK answers.</summary>
internal static class TestFrames
{
    public const string InvocationContentType = "application/vnd.restate.invocation.v6";

    public static byte[] Encode(MessageType type, IMessage message)
    {
        var payload = message.ToByteArray();
        var frame = new byte[FrameHeader.Size + payload.Length];
        new FrameHeader(type, 0, (uint)payload.Length).Write(frame);
        payload.CopyTo(frame.AsSpan(FrameHeader.Size));
        return frame;
    }

    /// <summary>A fresh invocation's journal: Start (one known entry) and the InputCommand carrying <paramref name="json"/>.</summary>
    public static byte[] Invocation(string json)
    {
        var start = Encode(MessageType.Start, new StartMessage
        {
            Id = ByteString.CopyFrom([.. Enumerable.Range(0xA0, 24).Select(i => (byte)i)]),
            DebugId = "inv_1lambdatest",
            KnownEntries = 1,
            PartialState = true,
        });
        var input = Encode(MessageType.InputCommand, new InputCommandMessage
        {
            Value = new Value { Content = ByteString.CopyFromUtf8(json) },
        });
        return [.. start, .. input];
    }

    public static List<(MessageType Type, byte[] Payload)> Decode(ReadOnlySpan<byte> bytes)
    {
        var frames = new List<(MessageType, byte[])>();
        while (!bytes.IsEmpty)
        {
            Assert.True(bytes.Length >= FrameHeader.Size, "trailing bytes do not form a frame header");
            var header = FrameHeader.Read(bytes);
            Assert.True(bytes.Length - FrameHeader.Size >= header.Length, $"frame {header.Type} is truncated");
            frames.Add((header.Type, bytes.Slice(FrameHeader.Size, (int)header.Length).ToArray()));
            bytes = bytes[(FrameHeader.Size + (int)header.Length)..];
        }
        return frames;
    }

    /// <summary>Asserts the answer is exactly OutputCommand(value) + End and returns the output value as text.</summary>
    public static string OutputValue(ReadOnlySpan<byte> bytes)
    {
        var frames = Decode(bytes);
        Assert.Equal([MessageType.OutputCommand, MessageType.End], frames.Select(f => f.Type));
        var output = OutputCommandMessage.Parser.ParseFrom(frames[0].Payload);
        Assert.Equal(OutputCommandMessage.ResultOneofCase.Value, output.ResultCase);
        return Encoding.UTF8.GetString(output.Value.Content.Span);
    }
}

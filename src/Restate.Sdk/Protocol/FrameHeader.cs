using System.Buffers.Binary;

namespace Restate.Sdk.Protocol;

/// <summary>
/// The 8-byte big-endian header in front of every protocol message:
/// 16 bits type, 16 bits flags (bit 15 = REQUESTED_ACK), 32 bits payload length.
/// </summary>
internal readonly record struct FrameHeader(MessageType Type, ushort Flags, uint Length)
{
    public const int Size = 8;
    public const ushort RequestedAckFlag = 0x8000;

    public bool RequestedAck => (Flags & RequestedAckFlag) != 0;

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)Type);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Flags);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], Length);
    }

    public static FrameHeader Read(ReadOnlySpan<byte> source) => new(
        (MessageType)BinaryPrimitives.ReadUInt16BigEndian(source),
        BinaryPrimitives.ReadUInt16BigEndian(source[2..]),
        BinaryPrimitives.ReadUInt32BigEndian(source[4..]));
}

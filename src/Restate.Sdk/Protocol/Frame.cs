namespace Restate.Sdk.Protocol;

/// <summary>One decoded protocol message: its type and its undecoded protobuf payload.</summary>
internal readonly record struct Frame(MessageType Type, ushort Flags, ReadOnlyMemory<byte> Payload);

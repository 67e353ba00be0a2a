using BenchmarkDotNet.Attributes;
using Restate.Sdk.Protocol;

namespace Restate.Sdk.Benchmarks;

/// <summary>
/// The 8-byte frame header in front of every protocol message; both directions must not allocate. Each invocation
/// encodes (or decodes) <see cref="Count"/> different headers back to back, so the numbers are per header without
/// timing an almost empty method.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(QuickConfig))]
public class FrameHeaderBenchmarks
{
    private const int Count = 64;

    private static readonly MessageType[] Types =
    [
        MessageType.RunCommand, MessageType.RunCompletionNotification, MessageType.SetStateCommand,
        MessageType.GetEagerStateCommand, MessageType.CallCommand, MessageType.CallCompletionNotification,
        MessageType.OutputCommand, MessageType.End,
    ];

    private readonly FrameHeader[] _headers = new FrameHeader[Count];
    private readonly byte[] _encoded = new byte[Count * FrameHeader.Size];
    private readonly byte[] _destination = new byte[Count * FrameHeader.Size];

    [GlobalSetup]
    public void Setup()
    {
        for (var i = 0; i < Count; i++)
        {
            var flags = i % 3 == 0 ? FrameHeader.RequestedAckFlag : (ushort)0;
            _headers[i] = new FrameHeader(Types[i % Types.Length], flags, (uint)(i * 37) + 5);
            _headers[i].Write(_encoded.AsSpan(i * FrameHeader.Size));
        }
        Encode();
        if (!_destination.AsSpan().SequenceEqual(_encoded) || Decode() != Checksum())
        {
            throw new InvalidOperationException("Frame headers do not round-trip.");
        }
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public int Encode()
    {
        var destination = _destination.AsSpan();
        var headers = _headers;
        for (var i = 0; i < headers.Length; i++)
        {
            headers[i].Write(destination[(i * FrameHeader.Size)..]);
        }
        return destination[^1];
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public uint Decode()
    {
        ReadOnlySpan<byte> source = _encoded;
        var sum = 0u;
        for (var offset = 0; offset < source.Length; offset += FrameHeader.Size)
        {
            var header = FrameHeader.Read(source[offset..]);
            sum += header.Length + header.Flags + (uint)header.Type;
        }
        return sum;
    }

    private uint Checksum()
    {
        var sum = 0u;
        foreach (var header in _headers)
        {
            sum += header.Length + header.Flags + (uint)header.Type;
        }
        return sum;
    }
}

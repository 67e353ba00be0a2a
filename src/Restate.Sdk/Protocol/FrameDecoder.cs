using System.Buffers;

namespace Restate.Sdk.Protocol;

/// <summary>
/// Incremental decoder: accepts the body in arbitrary chunks and yields whole frames.
/// Partial frames are kept until the rest arrives.
/// </summary>
internal sealed class FrameDecoder
{
    /// <summary>Frames above this size are treated as garbage rather than buffered (the server warns at 10 MiB).</summary>
    public const int MaxFrameLength = 256 * 1024 * 1024;

    private byte[] _buffer = [];
    private int _start;
    private int _end;

    /// <summary>Bytes received that do not form a whole frame yet.</summary>
    public int PendingBytes => _end - _start;

    public void Append(ReadOnlySequence<byte> data)
    {
        foreach (var segment in data)
        {
            Append(segment.Span);
        }
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }
        EnsureCapacity(data.Length);
        data.CopyTo(_buffer.AsSpan(_end));
        _end += data.Length;
    }

    /// <summary>Returns the next whole frame, copying its payload out of the internal buffer.</summary>
    /// <exception cref="ProtocolException">The header announces a frame larger than <see cref="MaxFrameLength"/>.</exception>
    public bool TryRead(out Frame frame)
    {
        frame = default;
        var available = _end - _start;
        if (available < FrameHeader.Size)
        {
            return false;
        }
        var header = FrameHeader.Read(_buffer.AsSpan(_start));
        if (header.Length > MaxFrameLength)
        {
            throw new ProtocolException(
                $"Frame of type {header.Type.Describe()} announces {header.Length} bytes, above the {MaxFrameLength}-byte limit; the stream is corrupt.");
        }
        if (available - FrameHeader.Size < header.Length)
        {
            return false;
        }
        var payload = _buffer.AsSpan(_start + FrameHeader.Size, (int)header.Length).ToArray();
        _start += FrameHeader.Size + (int)header.Length;
        if (_start == _end)
        {
            _start = _end = 0;
        }
        frame = new Frame(header.Type, header.Flags, payload);
        return true;
    }

    private void EnsureCapacity(int extra)
    {
        if (_buffer.Length - _end >= extra)
        {
            return;
        }
        var live = _end - _start;
        if (_buffer.Length - live >= extra && _start > 0)
        {
            _buffer.AsSpan(_start, live).CopyTo(_buffer);
        }
        else
        {
            var bigger = new byte[Math.Max(_buffer.Length * 2, live + extra)];
            _buffer.AsSpan(_start, live).CopyTo(bigger);
            _buffer = bigger;
        }
        _start = 0;
        _end = live;
    }
}

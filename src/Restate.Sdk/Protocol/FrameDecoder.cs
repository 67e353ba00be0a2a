using System.Buffers;

namespace Restate.Sdk.Protocol;

/// <summary>
/// Incremental decoder: accepts the body in arbitrary chunks and yields whole frames.
/// Partial frames are kept until the rest arrives.
/// </summary>
/// <remarks>
/// Two ways to use it. <see cref="Append(ReadOnlySpan{byte})"/> + <see cref="TryRead"/> copy every payload into an array
/// the caller owns. <see cref="Read"/> copies nothing for a frame that lies whole within the chunk: it hands out a view
/// of the chunk (or, for a frame begun in an earlier chunk, of the decoder's buffer) that is valid until the next
/// <see cref="ChunkReader.TryRead"/>, for a consumer that parses at once and copies only what it keeps.
/// </remarks>
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
        if (TryReadBuffered(out var header, out var payload))
        {
            frame = new Frame(header.Type, header.Flags, payload.ToArray());
            return true;
        }
        frame = default;
        return false;
    }

    /// <summary>Decodes the frames of <paramref name="chunk"/>, after those still buffered, without copying whole ones.</summary>
    public ChunkReader Read(ReadOnlySpan<byte> chunk) => new(this, chunk);

    /// <summary>The next whole frame in the buffer; its payload is a view of the buffer, valid until the next append.</summary>
    private bool TryReadBuffered(out FrameHeader header, out ReadOnlySpan<byte> payload)
    {
        payload = default;
        if (!TryPeekHeader(out header) || _end - _start - FrameHeader.Size < header.Length)
        {
            return false;
        }
        payload = _buffer.AsSpan(_start + FrameHeader.Size, (int)header.Length);
        _start += FrameHeader.Size + (int)header.Length;
        if (_start == _end)
        {
            _start = _end = 0;
        }
        return true;
    }

    private bool TryPeekHeader(out FrameHeader header)
    {
        if (_end - _start < FrameHeader.Size)
        {
            header = default;
            return false;
        }
        header = Checked(FrameHeader.Read(_buffer.AsSpan(_start)));
        return true;
    }

    private static FrameHeader Checked(FrameHeader header) => header.Length <= MaxFrameLength
        ? header
        : throw new ProtocolException(
            $"Frame of type {header.Type.Describe()} announces {header.Length} bytes, above the {MaxFrameLength}-byte limit; the stream is corrupt.");

    /// <summary>
    /// The frames of one chunk. A frame whole within the chunk is a view of the chunk; a frame begun in an earlier
    /// chunk is completed in the decoder's buffer (only the bytes it still needs are copied); the tail of the chunk
    /// that does not make a whole frame is copied into the buffer. A payload is valid until the next <see cref="TryRead"/>
    /// and only while the chunk's memory is unchanged: parse it at once, copy what must be kept.
    /// </summary>
    internal ref struct ChunkReader(FrameDecoder decoder, ReadOnlySpan<byte> chunk)
    {
        private ReadOnlySpan<byte> _chunk = chunk;

        /// <exception cref="ProtocolException">The header announces a frame larger than <see cref="MaxFrameLength"/>.</exception>
        public bool TryRead(out MessageType type, out ushort flags, out ReadOnlySpan<byte> payload)
        {
            FrameHeader header;
            if (decoder.PendingBytes > 0)
            {
                // A frame begun in an earlier chunk: complete it in the buffer, its header first, then exactly the
                // rest of its payload, so that the frames after it are read from the chunk again.
                if (!decoder.TryPeekHeader(out _))
                {
                    Take(FrameHeader.Size - decoder.PendingBytes);
                }
                if (!decoder.TryPeekHeader(out header))
                {
                    return NoFrame(out type, out flags, out payload);
                }
                Take(FrameHeader.Size + (int)header.Length - decoder.PendingBytes);
                if (!decoder.TryReadBuffered(out header, out payload))
                {
                    return NoFrame(out type, out flags, out payload);
                }
            }
            else if (_chunk.Length < FrameHeader.Size
                || _chunk.Length - FrameHeader.Size < (header = Checked(FrameHeader.Read(_chunk))).Length)
            {
                Take(_chunk.Length);
                return NoFrame(out type, out flags, out payload);
            }
            else
            {
                payload = _chunk.Slice(FrameHeader.Size, (int)header.Length);
                _chunk = _chunk[(FrameHeader.Size + (int)header.Length)..];
            }
            type = header.Type;
            flags = header.Flags;
            return true;
        }

        private void Take(int count)
        {
            count = Math.Clamp(count, 0, _chunk.Length);
            decoder.Append(_chunk[..count]);
            _chunk = _chunk[count..];
        }

        private static bool NoFrame(out MessageType type, out ushort flags, out ReadOnlySpan<byte> payload)
        {
            type = default;
            flags = 0;
            payload = default;
            return false;
        }
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

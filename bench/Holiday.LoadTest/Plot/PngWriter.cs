using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Holiday.LoadTest.Plot;

/// <summary>
/// Encodes a <see cref="Canvas"/> as a PNG: 8-bit RGB (colour type 2), not interlaced, every scanline with filter 0
/// (none), the image data compressed with zlib in a single IDAT chunk.
/// </summary>
internal static class PngWriter
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static byte[] Encode(Canvas canvas)
    {
        using var png = new MemoryStream();
        png.Write(Signature);

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(0), canvas.Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), canvas.Height);
        header[8] = 8; // bits per sample
        header[9] = 2; // colour type: RGB
        // [10] compression 0 (deflate), [11] filter method 0, [12] interlace 0 (none)
        WriteChunk(png, "IHDR", header);
        WriteChunk(png, "IDAT", Compress(canvas));
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static byte[] Compress(Canvas canvas)
    {
        using var data = new MemoryStream();
        using (var zlib = new ZLibStream(data, CompressionLevel.Optimal, leaveOpen: true))
        {
            var stride = canvas.Width * 3;
            for (var y = 0; y < canvas.Height; y++)
            {
                zlib.WriteByte(0); // filter type: none
                zlib.Write(canvas.Pixels.AsSpan(y * stride, stride));
            }
        }

        return data.ToArray();
    }

    /// <summary>Length, type, data, and the CRC-32 of type and data.</summary>
    private static void WriteChunk(Stream png, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Append(Crc32.Append(Crc32.Start, typeBytes), data) ^ Crc32.Start);
        png.Write(word);
    }

    /// <summary>CRC-32 as PNG (and zlib, gzip, Ethernet) define it: reflected polynomial 0xEDB88320, table driven.</summary>
    private static class Crc32
    {
        /// <summary>The initial register value; the final CRC is the register XOR this value.</summary>
        public const uint Start = 0xFFFFFFFF;

        private static readonly uint[] Table = BuildTable();

        public static uint Append(uint crc, ReadOnlySpan<byte> bytes)
        {
            foreach (var b in bytes)
            {
                crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
            }

            return crc;
        }

        private static uint[] BuildTable()
        {
            var table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                var c = n;
                for (var k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
                }

                table[n] = c;
            }

            return table;
        }
    }
}

using ZstdSharp;

namespace Restate.Sdk.Lambda;

/// <summary>Zstandard for Lambda bodies (<c>content-encoding: zstd</c>), in managed code (ZstdSharp): no native library to ship.</summary>
internal static class ZstdCodec
{
    private const int Level = 3;

    public static byte[] Compress(ReadOnlySpan<byte> data)
    {
        using var compressor = new Compressor(Level);
        return compressor.Wrap(data).ToArray();
    }

    /// <summary>Decompresses one or more frames, whether or not they record their content size (streaming encoders omit it).</summary>
    /// <exception cref="InvalidDataException">The data is not valid zstd.</exception>
    public static byte[] Decompress(byte[] data)
    {
        try
        {
            using var input = new MemoryStream(data, writable: false);
            using var zstd = new DecompressionStream(input);
            using var output = new MemoryStream((int)Math.Min(data.Length * 4L, 64L * 1024 * 1024));
            zstd.CopyTo(output);
            return output.ToArray();
        }
        catch (ZstdException e)
        {
            throw new InvalidDataException($"The body is not valid zstd: {e.Message}", e);
        }
    }
}

using BenchmarkDotNet.Attributes;
using Restate.Sdk.Protocol;

namespace Restate.Sdk.Benchmarks;

/// <summary>
/// Decoding a request body of <see cref="Pairs"/> × (RunCommand + RunCompletionNotification) frames, fed to a fresh
/// decoder in 4 KiB chunks as they would come off the HTTP/2 stream: <see cref="DecodeAll"/> through
/// <c>Append</c>/<c>TryRead</c>, which copy every payload into its own array, and <see cref="ReadViews"/> through
/// <c>Read</c>, which hands out views of the chunk (the state machine's path), copying only frames split by a chunk
/// boundary.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(QuickConfig))]
public class FrameDecoderBenchmarks
{
    private const int ChunkSize = 4096;

    private byte[] _body = [];

    [Params(100, 1000)]
    public int Pairs { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var journal = new Journal();
        var value = "{\"status\":\"ok\",\"step\":1}"u8;
        for (var i = 1u; i <= Pairs; i++)
        {
            journal.Add(MessageType.RunCommand, Journal.Run(i, "charge-card"));
            journal.Add(MessageType.RunCompletionNotification, Journal.RunCompletion(i, value));
        }
        _body = journal.ToArray();
        if (DecodeAll() != 2 * Pairs || ReadViews() != 2 * Pairs)
        {
            throw new InvalidOperationException($"Expected {2 * Pairs} frames.");
        }
    }

    [Benchmark(Baseline = true)]
    public int DecodeAll()
    {
        var decoder = new FrameDecoder();
        var frames = 0;
        for (var offset = 0; offset < _body.Length; offset += ChunkSize)
        {
            decoder.Append(_body.AsSpan(offset, Math.Min(ChunkSize, _body.Length - offset)));
            while (decoder.TryRead(out _))
            {
                frames++;
            }
        }
        return frames;
    }

    [Benchmark]
    public int ReadViews()
    {
        var decoder = new FrameDecoder();
        var frames = 0;
        for (var offset = 0; offset < _body.Length; offset += ChunkSize)
        {
            var reader = decoder.Read(_body.AsSpan(offset, Math.Min(ChunkSize, _body.Length - offset)));
            while (reader.TryRead(out _, out _, out _))
            {
                frames++;
            }
        }
        return frames;
    }
}

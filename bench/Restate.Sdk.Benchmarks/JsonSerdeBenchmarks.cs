using System.Text.Json.Serialization;
using BenchmarkDotNet.Attributes;

namespace Restate.Sdk.Benchmarks;

/// <summary>A small handler payload.</summary>
public sealed record Booking(string Id, string Guest, int Nights, decimal Price, DateTimeOffset CheckIn, bool Breakfast);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Booking))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;

/// <summary>The public JSON serde over a source-generated <see cref="JsonSerializerContext"/>, both directions.</summary>
[MemoryDiagnoser]
[Config(typeof(QuickConfig))]
public class JsonSerdeBenchmarks
{
    private readonly Serde<Booking> _serde = Serde.Json(BenchJsonContext.Default.Booking);
    private readonly Booking _booking = new("bk-20931", "Ada Lovelace", 3, 412.50m,
        new DateTimeOffset(2026, 7, 14, 15, 0, 0, TimeSpan.FromHours(2)), true);
    private ReadOnlyMemory<byte> _bytes;

    [GlobalSetup]
    public void Setup()
    {
        _bytes = _serde.Serialize(_booking);
        if (_serde.Deserialize(_bytes) != _booking)
        {
            throw new InvalidOperationException("The booking does not round-trip.");
        }
    }

    [Benchmark]
    public ReadOnlyMemory<byte> Serialize() => _serde.Serialize(_booking);

    [Benchmark]
    public Booking Deserialize() => _serde.Deserialize(_bytes);
}

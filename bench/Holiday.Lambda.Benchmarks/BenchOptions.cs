using System.Globalization;
using System.Text.Json.Serialization;

namespace Holiday.Lambda.Benchmarks;

/// <summary>The command line: <c>--cold N --warm N --service NAME --settle-ms N --output PATH</c>.</summary>
internal sealed record BenchOptions
{
    public const string Usage =
        "usage: dotnet run -c Release --project bench/Holiday.Lambda.Benchmarks -- " +
        "[--cold 20] [--warm 200] [--service trips|flights|cars|payments] [--settle-ms 100] [--output PATH]";

    /// <summary>Measured cold starts per variant (after one unmeasured warm-up start each).</summary>
    public int ColdRounds { get; init; } = 20;

    /// <summary>Measured warm invocations per variant, on the instance left by the last cold round.</summary>
    public int WarmRounds { get; init; } = 200;

    /// <summary>HOLIDAY_SERVICE of both functions.</summary>
    public string Service { get; init; } = "trips";

    /// <summary>Pause after killing the previous instance and before each cold start, so that its teardown is over.</summary>
    public int SettleMilliseconds { get; init; } = 100;

    /// <summary>Where the JSON goes; null means <c>bench/Holiday.Lambda.Benchmarks/results.json</c> in the repository.</summary>
    [JsonIgnore]
    public string? OutputPath { get; init; }

    /// <summary>Parses the arguments.</summary>
    /// <exception cref="ArgumentException">An unknown option or a bad value; the message says which.</exception>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            var value = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            options = name switch
            {
                "--cold" => options with { ColdRounds = Positive(name, value) },
                "--warm" => options with { WarmRounds = Positive(name, value) },
                "--settle-ms" => options with { SettleMilliseconds = NonNegative(name, value) },
                "--service" => value is "trips" or "flights" or "cars" or "payments"
                    ? options with { Service = value }
                    : throw new ArgumentException($"--service must be trips, flights, cars or payments, not '{value}'."),
                "--output" => options with { OutputPath = Path.GetFullPath(value) },
                _ => throw new ArgumentException($"Unknown option '{name}'."),
            };
        }

        return options;
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{name} must be a positive integer, not '{value}'.");

    private static int NonNegative(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new ArgumentException($"{name} must be a non-negative integer, not '{value}'.");
}

using System.CommandLine;
using System.Text.Json.Serialization;

namespace Holiday.Lambda.Benchmarks;

/// <summary>The command line: <c>--cold N --warm N --service NAME --settle-ms N --output PATH</c>.</summary>
internal sealed record BenchOptions
{
    private static readonly Option<int> ColdOption = BenchCommandLine.Positive("--cold", 20, "measured cold starts per variant");
    private static readonly Option<int> WarmOption = BenchCommandLine.Positive("--warm", 200, "measured warm invocations per variant");
    private static readonly Option<string> ServiceOption = BenchCommandLine.OneOf("--service", "trips", "HOLIDAY_SERVICE of both functions",
        "trips", "flights", "cars", "payments");
    private static readonly Option<int> SettleOption = BenchCommandLine.NonNegative("--settle-ms", 100,
        "pause in milliseconds after stopping an instance and before each cold start");
    private static readonly Option<string?> OutputOption = BenchCommandLine.FullPath("--output", "PATH",
        "where the JSON goes (default bench/Holiday.Lambda.Benchmarks/results.json)");

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

    /// <summary>The command line, with <c>--help</c>.</summary>
    public static RootCommand Command { get; } = new(
        "Cold start, warm latency, peak RSS and size of the Holiday Lambda bootstrap, Native AOT against JIT, in the local Lambda emulator.")
    {
        ColdOption, WarmOption, ServiceOption, SettleOption, OutputOption,
    };

    /// <summary>The options of a parse without errors.</summary>
    public static BenchOptions From(ParseResult result) => new()
    {
        ColdRounds = result.GetValue(ColdOption),
        WarmRounds = result.GetValue(WarmOption),
        Service = result.GetRequiredValue(ServiceOption),
        SettleMilliseconds = result.GetValue(SettleOption),
        OutputPath = result.GetValue(OutputOption),
    };
}

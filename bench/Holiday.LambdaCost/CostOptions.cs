using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.Json.Serialization;

namespace Holiday.LambdaCost;

/// <summary>
/// The command line: <c>--targets holiday-lambda,ts-lambda --ts-holiday-dir DIR --trips N --warmup N --concurrency 1,16
/// --rounds R --cold N --equal-memory-mb MB --output DIR</c>.
/// </summary>
internal sealed record CostOptions
{
    public const int MaxConcurrency = 64;

    private static readonly Option<int> TripsOption = BenchCommandLine.Positive("--trips", 200, "measured trips per run");
    private static readonly Option<int> WarmupOption = BenchCommandLine.NonNegative("--warmup", 20,
        "trips before each measured run on its server, not recorded");
    private static readonly Option<IReadOnlyList<int>> ConcurrencyOption = BenchCommandLine.IntegerList("--concurrency", MaxConcurrency,
        "closed-loop workers per run, comma separated (default 1)");
    private static readonly Option<IReadOnlyList<string>> TargetsOption = BenchCommandLine.NameList("--targets", LambdaSystem.All, "targets",
        $"{string.Join(", ", LambdaSystem.All)}, comma separated, run alternately in this order (default both)");
    private static readonly Option<int> RoundsOption = BenchCommandLine.Positive("--rounds", 2, "how often each target runs per concurrency");
    private static readonly Option<int> ColdOption = BenchCommandLine.NonNegative("--cold", 5,
        "cold trips per target (every function's instances stopped before each), alternating the targets");
    private static readonly Option<int> EqualMemoryOption = BenchCommandLine.Positive("--equal-memory-mb", 512,
        "the memory size both are also priced at (GB-seconds at equal memory)");
    private static readonly Option<string?> TsHolidayDirectoryOption = BenchCommandLine.FullPath("--ts-holiday-dir", "DIR",
        "a checkout of restatedev/restate-holiday OUTSIDE this repository with `npm ci` done and each src/<service>.ts " +
        "bundled to lambda/<service>.js (needed by ts-lambda; see docs/benchmarks.md)");
    private static readonly Option<string?> OutputOption = BenchCommandLine.FullPath("--output", "DIR",
        "where the JSON and the PNG chart go (default bench/Holiday.LambdaCost/results/)");

    public int Trips { get; init; } = 200;

    public int Warmup { get; init; } = 20;

    public IReadOnlyList<int> Concurrency { get; init; } = [1];

    public IReadOnlyList<string> Targets { get; init; } = LambdaSystem.All;

    public int Rounds { get; init; } = 2;

    public int Cold { get; init; } = 5;

    public int EqualMemoryMb { get; init; } = 512;

    public string? TsHolidayDirectory { get; init; }

    /// <summary>Where the JSON and the PNG chart go; null means <c>bench/Holiday.LambdaCost/results/</c> in the repository.</summary>
    [JsonIgnore]
    public string? OutputDirectory { get; init; }

    /// <summary>The command line, with <c>--help</c>.</summary>
    public static RootCommand Command { get; } = new(
        "Books trips through restate-server with the Holidays deployed as functions of the Lambda emulator, and reports " +
        "invocations, billed duration, GB-seconds, dollars, cold starts and peak RSS per trip.")
    {
        TargetsOption, TsHolidayDirectoryOption, TripsOption, WarmupOption, ConcurrencyOption, RoundsOption, ColdOption,
        EqualMemoryOption, OutputOption,
    };

    /// <summary>The options of a parse without errors, checked to fit together.</summary>
    /// <exception cref="ArgumentException">ts-lambda without a usable <c>--ts-holiday-dir</c>; the message names the option.</exception>
    public static CostOptions From(ParseResult result, string repositoryRoot)
    {
        ArgumentNullException.ThrowIfNull(result);
        var defaults = new CostOptions();
        var options = new CostOptions
        {
            Trips = result.GetValue(TripsOption),
            Warmup = result.GetValue(WarmupOption),
            Concurrency = result.GetValue(ConcurrencyOption) ?? defaults.Concurrency,
            Targets = result.GetValue(TargetsOption) ?? defaults.Targets,
            Rounds = result.GetValue(RoundsOption),
            Cold = result.GetValue(ColdOption),
            EqualMemoryMb = result.GetValue(EqualMemoryOption),
            TsHolidayDirectory = result.GetValue(TsHolidayDirectoryOption),
            OutputDirectory = result.GetValue(OutputOption),
        };
        if (options.Targets.Contains(LambdaSystem.TypeScript))
        {
            TsHolidayCheckout.Check(options.TsHolidayDirectory, repositoryRoot, "ts-lambda",
                LambdaSystem.Services.Select(service => ($"{LambdaSystem.TsBundleFolder}/{service}.js",
                    "bundle each handler with esbuild first (docs/benchmarks.md)")));
        }

        return options;
    }
}

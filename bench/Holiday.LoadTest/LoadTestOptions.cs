using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.Json.Serialization;
using Holiday.LoadTest.Targets;

namespace Holiday.LoadTest;

/// <summary>
/// The command line: <c>--requests N --warmup N --concurrency 1,16 --targets holiday,noop,ts --rounds R
/// --ts-holiday-dir DIR --output DIR</c>.
/// </summary>
internal sealed record LoadTestOptions
{
    public const int MaxConcurrency = 1024;

    private static readonly Option<int> RequestsOption = BenchCommandLine.Positive("--requests", 2000, "measured trips per run");
    private static readonly Option<int> WarmupOption = BenchCommandLine.NonNegative("--warmup", 200,
        "trips before each measured run, and once per target before the first run, not recorded");
    private static readonly Option<IReadOnlyList<int>> ConcurrencyOption = BenchCommandLine.IntegerList("--concurrency", MaxConcurrency,
        "closed-loop workers per run, comma separated (default 1,16)");
    private static readonly Option<IReadOnlyList<string>> TargetsOption = BenchCommandLine.NameList("--targets", TargetNames.All, "targets",
        $"{string.Join(", ", TargetNames.All)}, comma separated, run alternately in this order (default holiday,noop)");
    private static readonly Option<int> RoundsOption = BenchCommandLine.Positive("--rounds", 2, "how often each target runs per concurrency");
    private static readonly Option<string?> TsHolidayDirectoryOption = BenchCommandLine.FullPath("--ts-holiday-dir", "DIR",
        "a checkout of restatedev/restate-holiday OUTSIDE this repository, with `npm ci` and `npm run bundle` done (needed by the ts target)");
    private static readonly Option<string?> OutputOption = BenchCommandLine.FullPath("--output", "DIR",
        "where the JSON and PNG go (default bench/Holiday.LoadTest/results/)");

    public int Requests { get; init; } = 2000;

    public int Warmup { get; init; } = 200;

    public IReadOnlyList<int> Concurrency { get; init; } = [1, 16];

    public IReadOnlyList<string> Targets { get; init; } = [TargetNames.Holiday, TargetNames.Noop];

    public int Rounds { get; init; } = 2;

    public string? TsHolidayDirectory { get; init; }

    /// <summary>Where the files go; null means <c>bench/Holiday.LoadTest/results/</c> in the repository.</summary>
    [JsonIgnore]
    public string? OutputDirectory { get; init; }

    /// <summary>The command line, with <c>--help</c>.</summary>
    public static RootCommand Command { get; } = new(
        "Books trips through the real restate-server in a closed loop, target after target, and reports trips/s, latency and what each process cost.")
    {
        RequestsOption, WarmupOption, ConcurrencyOption, TargetsOption, RoundsOption, TsHolidayDirectoryOption, OutputOption,
    };

    /// <summary>The options of a parse without errors, checked to fit together.</summary>
    /// <param name="result">The parse.</param>
    /// <param name="repositoryRoot">The repository, which <c>--ts-holiday-dir</c> must lie outside of.</param>
    /// <exception cref="ArgumentException">The ts target without a usable <c>--ts-holiday-dir</c>; the message names the option.</exception>
    public static LoadTestOptions From(ParseResult result, string repositoryRoot)
    {
        ArgumentNullException.ThrowIfNull(result);
        // The lists have no default in the parser (its help would print them with '|'); the record's own defaults apply.
        var defaults = new LoadTestOptions();
        var options = new LoadTestOptions
        {
            Requests = result.GetValue(RequestsOption),
            Warmup = result.GetValue(WarmupOption),
            Concurrency = result.GetValue(ConcurrencyOption) ?? defaults.Concurrency,
            Targets = result.GetValue(TargetsOption) ?? defaults.Targets,
            Rounds = result.GetValue(RoundsOption),
            TsHolidayDirectory = result.GetValue(TsHolidayDirectoryOption),
            OutputDirectory = result.GetValue(OutputOption),
        };
        if (options.Targets.Contains(TargetNames.TypeScript))
        {
            TsHolidayCheckout.Check(options.TsHolidayDirectory, repositoryRoot, "the ts target",
                [(TsHolidayTarget.Bundle, "run `npm ci` and `npm run bundle` there first")]);
        }

        return options;
    }
}

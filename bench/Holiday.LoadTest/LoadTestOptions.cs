using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
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
    private static readonly Option<IReadOnlyList<int>> ConcurrencyOption = new("--concurrency")
    {
        Description = "closed-loop workers per run, comma separated (default 1,16)",
        HelpName = "LIST",
        Arity = ArgumentArity.ExactlyOne,
        CustomParser = ConcurrencyList,
    };
    private static readonly Option<IReadOnlyList<string>> TargetsOption = new("--targets")
    {
        Description = $"{string.Join(", ", TargetNames.All)}, comma separated, run alternately in this order (default holiday,noop)",
        HelpName = "LIST",
        Arity = ArgumentArity.ExactlyOne,
        CustomParser = TargetList,
    };
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
            CheckTsHolidayDirectory(options.TsHolidayDirectory, repositoryRoot);
        }

        return options;
    }

    private static void CheckTsHolidayDirectory(string? directory, string repositoryRoot)
    {
        if (directory is null)
        {
            throw new ArgumentException(
                "--ts-holiday-dir is required by the ts target: a checkout of restatedev/restate-holiday outside this repository (see docs/benchmarks.md).");
        }

        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(repositoryRoot)) + Path.DirectorySeparatorChar;
        if ((Path.TrimEndingDirectorySeparator(directory) + Path.DirectorySeparatorChar).StartsWith(root, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"--ts-holiday-dir must be outside the repository ({repositoryRoot}): the TypeScript original is never part of it; got '{directory}'.");
        }

        if (!Directory.Exists(directory))
        {
            throw new ArgumentException($"--ts-holiday-dir '{directory}' does not exist.");
        }

        if (!File.Exists(Path.Combine(directory, "src", "app.ts")))
        {
            throw new ArgumentException($"--ts-holiday-dir '{directory}' has no src/app.ts: is it a restatedev/restate-holiday checkout?");
        }

        if (!File.Exists(TsHolidayTarget.BundlePath(directory)))
        {
            throw new ArgumentException(
                $"--ts-holiday-dir '{directory}' has no {TsHolidayTarget.Bundle}: run `npm ci` and `npm run bundle` there first.");
        }
    }

    private static int[] ConcurrencyList(ArgumentResult result)
    {
        var value = result.Tokens[0].Value;
        var list = new List<int>();
        foreach (var item in value.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1 or > MaxConcurrency)
            {
                result.AddError($"--concurrency must list integers from 1 to {MaxConcurrency}, separated by commas; got '{value}'.");
                return [];
            }

            list.Add(n);
        }

        if (list.Distinct().Count() != list.Count)
        {
            result.AddError($"--concurrency lists a value twice: '{value}'.");
        }

        return [.. list];
    }

    private static string[] TargetList(ArgumentResult result)
    {
        var value = result.Tokens[0].Value;
        var list = value.Split(',', StringSplitOptions.TrimEntries);
        foreach (var target in list)
        {
            if (!TargetNames.All.Contains(target))
            {
                result.AddError($"--targets must list targets from {string.Join(", ", TargetNames.All)}; got '{target}'.");
                return [];
            }
        }

        if (list.Distinct().Count() != list.Length)
        {
            result.AddError($"--targets lists a target twice: '{value}'.");
        }

        return list;
    }
}

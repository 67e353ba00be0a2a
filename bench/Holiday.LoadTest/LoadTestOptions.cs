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
    public const string Usage = """
        usage: dotnet run -c Release --project bench/Holiday.LoadTest -- [options]

          --requests N          measured trips per run (default 2000)
          --warmup N            trips before each measured run, and once per target before the first run, not
                                recorded (default 200)
          --concurrency LIST    closed-loop workers per run, comma separated (default 1,16)
          --targets LIST        holiday, noop, ts, comma separated, run alternately in this order (default holiday,noop)
          --rounds R            how often each target runs per concurrency (default 2)
          --ts-holiday-dir DIR  a checkout of restatedev/restate-holiday OUTSIDE this repository, with `npm ci` and
                                `npm run bundle` done (needed by the ts target)
          --output DIR          where the JSON and PNG go (default bench/Holiday.LoadTest/results/)
          --help                this text
        """;

    public const int MaxConcurrency = 1024;

    public int Requests { get; init; } = 2000;

    public int Warmup { get; init; } = 200;

    public IReadOnlyList<int> Concurrency { get; init; } = [1, 16];

    public IReadOnlyList<string> Targets { get; init; } = [TargetNames.Holiday, TargetNames.Noop];

    public int Rounds { get; init; } = 2;

    public string? TsHolidayDirectory { get; init; }

    /// <summary>Where the files go; null means <c>bench/Holiday.LoadTest/results/</c> in the repository.</summary>
    [JsonIgnore]
    public string? OutputDirectory { get; init; }

    [JsonIgnore]
    public bool Help { get; init; }

    /// <summary>Parses the arguments and checks that they fit together.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="repositoryRoot">The repository, which <c>--ts-holiday-dir</c> must lie outside of.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ArgumentException">An unknown option or a bad value; the message names the option.</exception>
    public static LoadTestOptions Parse(IReadOnlyList<string> args, string repositoryRoot)
    {
        var options = new LoadTestOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "--help" or "-h")
            {
                return options with { Help = true };
            }

            var value = i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                ? args[++i]
                : throw new ArgumentException($"{name} needs a value.");
            options = name switch
            {
                "--requests" => options with { Requests = Positive(name, value) },
                "--warmup" => options with { Warmup = NonNegative(name, value) },
                "--concurrency" => options with { Concurrency = ConcurrencyList(name, value) },
                "--targets" => options with { Targets = TargetList(name, value) },
                "--rounds" => options with { Rounds = Positive(name, value) },
                "--ts-holiday-dir" => options with { TsHolidayDirectory = Path.GetFullPath(value) },
                "--output" => options with { OutputDirectory = Path.GetFullPath(value) },
                _ => throw new ArgumentException($"Unknown option '{name}'."),
            };
        }

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

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{name} must be a positive integer, not '{value}'.");

    private static int NonNegative(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new ArgumentException($"{name} must be a non-negative integer, not '{value}'.");

    private static int[] ConcurrencyList(string name, string value)
    {
        var list = value.Split(',', StringSplitOptions.TrimEntries).Select(item =>
            int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= MaxConcurrency
                ? n
                : throw new ArgumentException($"{name} must list integers from 1 to {MaxConcurrency}, separated by commas; got '{value}'.")).ToArray();
        return list.Distinct().Count() == list.Length
            ? list
            : throw new ArgumentException($"{name} lists a value twice: '{value}'.");
    }

    private static string[] TargetList(string name, string value)
    {
        var list = value.Split(',', StringSplitOptions.TrimEntries);
        foreach (var target in list)
        {
            if (!TargetNames.All.Contains(target))
            {
                throw new ArgumentException($"{name} must list targets from {string.Join(", ", TargetNames.All)}; got '{target}'.");
            }
        }

        return list.Distinct().Count() == list.Length
            ? list
            : throw new ArgumentException($"{name} lists a target twice: '{value}'.");
    }
}

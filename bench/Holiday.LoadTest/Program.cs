using System.Globalization;
using System.Text.Json;
using Holiday.LoadTest.Measurement;
using Holiday.LoadTest.Plot;
using Holiday.LoadTest.Results;

namespace Holiday.LoadTest;

/// <summary>
/// Entry point: <c>dotnet run -c Release --project bench/Holiday.LoadTest -- [options]</c>. Books trips through the
/// real restate-server in a closed loop, target after target, and reports trips/s, latency and what each process
/// cost; writes a JSON file and a PNG chart. See docs/benchmarks.md.
/// </summary>
internal static class Program
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Task<int> Main(string[] args) => BenchMain.RunAsync(args, LoadTestOptions.Command, LoadTestOptions.From, async (options, root, ct) =>
    {
        var results = await RunSessionAsync(options, root, args, ct);
        var output = options.OutputDirectory ?? Path.Combine(root, "bench", "Holiday.LoadTest", "results");
        Directory.CreateDirectory(output);
        var stem = Path.Combine(output, "loadtest-" + results.Date.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        await File.WriteAllTextAsync(stem + ".json", JsonSerializer.Serialize(results, Json) + "\n", ct);
        await File.WriteAllBytesAsync(stem + ".png", LoadTestChart.Render(results), ct);

        Console.WriteLine(results.ToMarkdown());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"nproc {results.Machine.Nproc}, load average {results.LoadAverageStart} at start, {results.LoadAverageEnd} at end"));
        Console.WriteLine();
        Console.WriteLine("Goals:");
        foreach (var goal in results.Goals)
        {
            Console.WriteLine($"  {goal}");
        }

        if (results.Goals.Count == 0)
        {
            Console.WriteLine("  none checked: the goals compare holiday with ts and with noop (--targets holiday,noop,ts).");
        }

        Log($"Wrote {stem}.json and {stem}.png");
    });

    private static async Task<SessionResults> RunSessionAsync(LoadTestOptions options, string root, string[] args, CancellationToken ct)
    {
        var loadStart = ProcFs.LoadAverage();
        var machine = await MachineInfo.DescribeAsync(root, options.TsHolidayDirectory, ct);
        var runs = new List<RunResult>();
        await using (var session = await LoadSession.StartAsync(options, Log, ct))
        {
            if (options.Warmup > 0)
            {
                foreach (var target in session.Targets)
                {
                    Log($"Session warm-up of {target.Name}: {options.Warmup} trips (not recorded)…");
                    await session.WarmUpAsync(target, options.Concurrency.Max(), ct);
                }
            }

            var total = options.Concurrency.Count * options.Rounds * session.Targets.Count;
            foreach (var concurrency in options.Concurrency)
            {
                for (var round = 1; round <= options.Rounds; round++)
                {
                    foreach (var target in session.Targets)
                    {
                        var run = await session.RunAsync(target, concurrency, round, ct);
                        runs.Add(run);
                        var service = run.Processes.Single(p => p.Role == Roles.Service);
                        Log(string.Create(CultureInfo.InvariantCulture,
                            $"[{runs.Count}/{total}] {target.Name} C={concurrency} round {round}: {run.TripsPerSecond:F1} trips/s, " +
                            $"p50 {run.LatencyMs.P50:F1} ms, p99 {run.LatencyMs.P99:F1} ms, service {service.CpuMsPerTrip(run.Trips):F2} CPU ms/trip " +
                            $"and {(double)service.ContextSwitches / run.Trips:F0} context switches/trip, " +
                            $"other work {run.OtherCores:F2} cores, load {run.LoadAverageEnd}"));
                    }
                }
            }
        }

        var summaries = runs
            .GroupBy(r => (r.Target, r.Concurrency))
            .OrderBy(g => options.Concurrency.ToList().IndexOf(g.Key.Concurrency))
            .ThenBy(g => options.Targets.ToList().IndexOf(g.Key.Target))
            .Select(g => TargetSummary.Of([.. g]))
            .ToArray();
        return new SessionResults(
            DateTimeOffset.UtcNow,
            "dotnet run -c Release --project bench/Holiday.LoadTest" + (args.Length > 0 ? " -- " + string.Join(' ', args) : ""),
            options,
            machine,
            loadStart,
            ProcFs.LoadAverage(),
            LoadSession.Setup,
            summaries,
            Goals.Check(summaries),
            runs);
    }

    private static void Log(string message) => Console.Error.WriteLine(message);
}

using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Holiday.LambdaCost;

/// <summary>
/// Entry point: <c>dotnet run -c Release --project bench/Holiday.LambdaCost -- [options]</c>. Books trips through
/// restate-server with both Holidays deployed as functions of the Lambda emulator, alternating them, and reports
/// Lambda invocations, billed duration, GB-seconds, dollars, cold starts and peak RSS per trip; writes a JSON file and a
/// PNG chart. See docs/benchmarks.md.
/// </summary>
internal static class Program
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Task<int> Main(string[] args) => BenchMain.RunAsync(args, CostOptions.Command, CostOptions.From, async (options, root, ct) =>
    {
        var results = await RunSessionAsync(options, args, ct);
        var output = options.OutputDirectory ?? Path.Combine(root, "bench", "Holiday.LambdaCost", "results");
        Directory.CreateDirectory(output);
        var stem = Path.Combine(output, "lambdacost-" + results.Date.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        await File.WriteAllTextAsync(stem + ".json", JsonSerializer.Serialize(results, Json) + "\n", ct);
        await File.WriteAllBytesAsync(stem + ".png", LambdaCostChart.Render(results), ct);

        Console.WriteLine(results.ToMarkdown());
        Console.WriteLine("Goals:");
        foreach (var goal in results.Goals)
        {
            Console.WriteLine($"  {goal}");
        }

        if (results.Goals.Count == 0)
        {
            Console.WriteLine("  none checked: the goals compare holiday-lambda with ts-lambda (--targets holiday-lambda,ts-lambda).");
        }

        Console.WriteLine($"Prices: {Pricing.Source}");
        Log($"Wrote {stem}.json and {stem}.png");
    });

    private static async Task<SessionResults> RunSessionAsync(CostOptions options, string[] args, CancellationToken ct)
    {
        var machine = await DescribeMachineAsync(ct);
        var runs = new List<RunResult>();
        var cold = new List<ColdResult>();
        IReadOnlyList<LambdaSystem> systems;
        await using (var session = await CostSession.StartAsync(options, Log, ct))
        {
            systems = session.Systems;
            var total = options.Concurrency.Count * options.Rounds * systems.Count;
            foreach (var concurrency in options.Concurrency)
            {
                for (var round = 1; round <= options.Rounds; round++)
                {
                    foreach (var system in systems)
                    {
                        var run = await session.RunAsync(system, concurrency, round, ct);
                        runs.Add(run);
                        Log(string.Create(CultureInfo.InvariantCulture,
                            $"[{runs.Count}/{total}] {system.Name} C={concurrency} round {round}: {run.TripsPerSecond:F1} trips/s, " +
                            $"p50 {run.LatencyMs.P50:F1} ms, {(double)run.Invocations / run.Trips:F2} invocations/trip, " +
                            $"{run.BilledMs / run.Trips:F1} billed ms/trip, {run.ColdStarts} cold starts, {run.FailedInvocations} failed"));
                    }
                }
            }

            for (var round = 1; round <= options.Cold; round++)
            {
                // Alternate which system goes first, so neither always follows the other's burst of process starts.
                foreach (var system in round % 2 == 1 ? systems : systems.Reverse())
                {
                    var trip = await session.ColdAsync(system, round, ct);
                    cold.Add(trip);
                    Log(string.Create(CultureInfo.InvariantCulture,
                        $"[cold {round}/{options.Cold}] {system.Name}: trip {trip.LatencyMs:F0} ms, init + first invocation " +
                        $"{string.Join(", ", trip.Functions.Select(f => $"{f.Function} {f.InitMs:F0}+{f.FirstInvocationMs:F0}"))} ms"));
                }
            }
        }

        var summaries = runs
            .GroupBy(r => (r.Target, r.Concurrency))
            .OrderBy(g => options.Concurrency.ToList().IndexOf(g.Key.Concurrency))
            .ThenBy(g => options.Targets.ToList().IndexOf(g.Key.Target))
            .Select(g => TargetSummary.Of(systems.Single(s => s.Name == g.Key.Target), [.. g], options.EqualMemoryMb))
            .ToArray();
        var coldSummaries = cold.GroupBy(c => c.Target)
            .OrderBy(g => options.Targets.ToList().IndexOf(g.Key))
            .Select(g => ColdSummary.Of(g.Key, [.. g]))
            .ToArray();
        return new SessionResults(
            DateTimeOffset.UtcNow,
            "dotnet run -c Release --project bench/Holiday.LambdaCost" + (args.Length > 0 ? " -- " + string.Join(' ', args) : ""),
            options,
            machine,
            CostSession.Setup,
            Pricing.Source,
            [.. systems.Select(SystemInfo.Of)],
            summaries,
            coldSummaries,
            SessionResults.Check(summaries, coldSummaries),
            runs,
            cold);
    }

    private static async Task<IReadOnlyDictionary<string, string>> DescribeMachineAsync(CancellationToken ct)
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?
            .Split(':', 2)[1].Trim() ?? "unknown";
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["cpu"] = cpu,
            ["nproc"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
            ["os"] = RuntimeInformation.OSDescription,
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
            ["node"] = await VersionAsync("node", "--version", ct),
            ["loadAverageAtStart"] = File.ReadAllText("/proc/loadavg").Trim(),
        };
    }

    private static async Task<string> VersionAsync(string program, string argument, CancellationToken ct)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, argument) { RedirectStandardOutput = true, UseShellExecute = false })!;
            var version = await process.StandardOutput.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            return version.Trim();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "not found";
        }
    }

    private static void Log(string message) => Console.Error.WriteLine(message);
}

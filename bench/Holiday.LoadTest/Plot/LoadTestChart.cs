using System.Globalization;
using Holiday.LoadTest.Measurement;
using Holiday.LoadTest.Results;
using Holiday.LoadTest.Targets;
using ScottPlot;

namespace Holiday.LoadTest.Plot;

/// <summary>
/// The session's chart, drawn with ScottPlot: eight grouped bar charts (trips/s, p50 and p99 latency, CPU ms per trip of
/// the service, restate-server and DynamoDB Local, the service's context switches per trip and peak RSS), each grouped
/// by concurrency with a bar per target, and a ninth panel with the session's settings and the legend.
/// </summary>
internal static class LoadTestChart
{
    public const int Width = 1800;
    public const int Height = 1500;
    private const int Columns = 3;
    private const int Rows = 3;

    private static readonly Dictionary<string, Color> TargetColours = new(StringComparer.Ordinal)
    {
        [TargetNames.Holiday] = new Color(92, 45, 145),
        [TargetNames.Noop] = new Color(160, 160, 160),
        [TargetNames.TypeScript] = new Color(49, 120, 198),
    };

    /// <summary>The PNG bytes, <see cref="Width"/> × <see cref="Height"/> pixels.</summary>
    public static byte[] Render(SessionResults results)
    {
        var settings = results.Settings;
        var otherCores = results.Runs.Select(r => r.OtherCores).DefaultIfEmpty(0).ToArray();
        return Render(results.Summaries,
        [
            string.Create(CultureInfo.InvariantCulture, $"{settings.Requests} trips per run, {settings.Rounds} rounds, {settings.Warmup} warm-up trips"),
            "C = closed-loop workers",
            string.Create(CultureInfo.InvariantCulture, $"nproc {results.Machine.Nproc}; other work {otherCores.Min():F2}-{otherCores.Max():F2} cores"),
            string.Create(CultureInfo.InvariantCulture, $"load average {results.LoadAverageStart} -> {results.LoadAverageEnd}"),
        ]);
    }

    /// <summary>The chart of <paramref name="summaries"/>, with <paramref name="notes"/> (one line each) beside the legend.</summary>
    public static byte[] Render(IReadOnlyList<TargetSummary> summaries, IReadOnlyList<string> notes)
    {
        var targets = summaries.Select(s => s.Target).Distinct().ToArray();
        var concurrencies = summaries.Select(s => s.Concurrency).Distinct().ToArray();

        (string Title, Func<TargetSummary, double> Value)[] panels =
        [
            ("Trips/s (higher is better)", s => s.TripsPerSecond),
            ("p50 latency, ms", s => s.LatencyMs.P50),
            ("p99 latency, ms", s => s.LatencyMs.P99),
            ("CPU ms/trip: service process", s => s.CpuMsPerTrip(Roles.Service)),
            ("CPU ms/trip: restate-server", s => s.CpuMsPerTrip(Roles.RestateServer)),
            ("CPU ms/trip: DynamoDB Local", s => s.CpuMsPerTrip(Roles.DynamoDb)),
            ("Context switches/trip: service", s => s.ContextSwitchesPerTrip(Roles.Service)),
            ("Peak RSS MiB: service process", s => s.PeakRssKb(Roles.Service) / 1024.0),
        ];

        var series = targets.Select(t => (t, TargetColours[t])).ToArray();
        var groups = concurrencies.Select(c => string.Create(CultureInfo.InvariantCulture, $"C={c}")).ToArray();
        var multiplot = BarCharts.Grid(Rows, Columns);
        for (var i = 0; i < panels.Length; i++)
        {
            var panel = panels[i];
            BarCharts.Grouped(multiplot.GetPlot(i), panel.Title, groups, series, (g, t) =>
                summaries.FirstOrDefault(s => s.Concurrency == concurrencies[g] && s.Target == targets[t]) is { } summary
                    ? panel.Value(summary)
                    : double.NaN);
        }

        BarCharts.Info(multiplot.GetPlot(panels.Length), "Holiday load test:\ntrips booked through restate-server", notes, series);
        return BarCharts.RenderPng(multiplot, Width, Height);
    }
}

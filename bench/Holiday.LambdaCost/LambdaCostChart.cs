using System.Globalization;
using ScottPlot;

namespace Holiday.LambdaCost;

/// <summary>
/// The session's chart, drawn with ScottPlot (the bar panels of <see cref="BarCharts"/>): GB-seconds per trip at equal
/// memory, billed ms per trip split by function, Lambda invocations per trip, cold start (init + first invocation) per
/// function and summed over the four, and a panel with the session's settings and the legend.
/// </summary>
internal static class LambdaCostChart
{
    public const int Width = 1800;
    public const int Height = 1000;
    private const int Columns = 3;
    private const int Rows = 2;

    /// <summary>The colour of each system's bars (the load test's colours: ours purple, the original blue).</summary>
    public static IReadOnlyDictionary<string, Color> TargetColours { get; } = new Dictionary<string, Color>(StringComparer.Ordinal)
    {
        [LambdaSystem.Holiday] = new Color(92, 45, 145),
        [LambdaSystem.TypeScript] = new Color(49, 120, 198),
    };

    /// <summary>The colour of each service's segment in the billed-ms panel, in <see cref="LambdaSystem.Services"/> order.</summary>
    public static IReadOnlyList<Color> ServiceColours { get; } =
    [
        new Color(230, 159, 0),
        new Color(0, 158, 115),
        new Color(204, 121, 167),
        new Color(120, 120, 120),
    ];

    /// <summary>The PNG bytes, <see cref="Width"/> × <see cref="Height"/> pixels.</summary>
    public static byte[] Render(SessionResults results)
    {
        var options = results.Options;
        var load = results.Machine.TryGetValue("loadAverageAtStart", out var l) ? l.Split(' ')[0] : "?";
        return Render(results.Summaries, results.ColdSummaries,
        [
            string.Create(CultureInfo.InvariantCulture,
                $"{options.Trips} trips per run, {options.Rounds} rounds, {options.Warmup} warm-up trips, {options.Cold} cold trips"),
            string.Create(CultureInfo.InvariantCulture, $"C = closed-loop workers; equal memory = {options.EqualMemoryMb} MB"),
            string.Create(CultureInfo.InvariantCulture,
                $"nproc {(results.Machine.TryGetValue("nproc", out var n) ? n : "?")}; load average {load} at start"),
            results.Date.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
        ]);
    }

    /// <summary>
    /// The chart of <paramref name="summaries"/> and <paramref name="cold"/>, with <paramref name="notes"/> (one line
    /// each) beside the legend.
    /// </summary>
    public static byte[] Render(IReadOnlyList<TargetSummary> summaries, IReadOnlyList<ColdSummary> cold, IReadOnlyList<string> notes)
    {
        var targets = summaries.Select(s => s.Target).Concat(cold.Select(c => c.Target)).Distinct().ToArray();
        var concurrencies = summaries.Select(s => s.Concurrency).Distinct().ToArray();
        var series = targets.Select(t => (t, ColourOf(t))).ToArray();
        var groups = concurrencies.Select(c => string.Create(CultureInfo.InvariantCulture, $"C={c}")).ToArray();
        var services = LambdaSystem.Services.Select((s, i) => (s, ServiceColours[i])).ToArray();
        double Warm(int g, int t, Func<TargetSummary, double> value) =>
            summaries.FirstOrDefault(s => s.Concurrency == concurrencies[g] && s.Target == targets[t]) is { } summary
                ? value(summary)
                : double.NaN;

        var multiplot = BarCharts.Grid(Rows, Columns);
        BarCharts.Grouped(multiplot.GetPlot(0), "GB-seconds per trip at equal memory (lower is better)", groups, series,
            (g, t) => Warm(g, t, s => s.GbSecondsPerTripAtEqualMemory));

        // One stacked bar per concurrency and target, a segment per service.
        var stacked = concurrencies.SelectMany(c => summaries.Where(s => s.Concurrency == c)).ToArray();
        BarCharts.Stacked(multiplot.GetPlot(1), "Billed ms per trip, by function", [.. stacked.Select(BarLabel)], services,
            (b, s) => stacked[b].Functions.FirstOrDefault(f => ServiceOf(f.Function) == LambdaSystem.Services[s])?.BilledMsPerTrip ?? double.NaN);

        BarCharts.Grouped(multiplot.GetPlot(2), "Lambda invocations per trip", groups, series,
            (g, t) => Warm(g, t, s => s.InvocationsPerTrip));

        BarCharts.Grouped(multiplot.GetPlot(3), "Cold start, p50 ms: init + first invocation", LambdaSystem.Services, series,
            (g, t) => cold.FirstOrDefault(c => c.Target == targets[t])?.Functions
                .FirstOrDefault(f => ServiceOf(f.Function) == LambdaSystem.Services[g])?.ColdStartMsP50 ?? double.NaN);

        BarCharts.Grouped(multiplot.GetPlot(4), "Cold start, p50 ms: all four functions summed", ["trips + flights + cars + payments"], series,
            (_, t) => cold.FirstOrDefault(c => c.Target == targets[t])?.ColdStartMsP50 ?? double.NaN);

        BarCharts.Info(multiplot.GetPlot(5), "Holiday on Lambda:\ncost per booked trip", notes, [.. series, .. services]);
        return BarCharts.RenderPng(multiplot, Width, Height);
    }

    private static Color ColourOf(string target) =>
        TargetColours.TryGetValue(target, out var colour) ? colour : new Color(160, 160, 160);

    /// <summary><c>holiday-trips</c> → <c>trips</c>.</summary>
    private static string ServiceOf(string function) => function[(function.IndexOf('-', StringComparison.Ordinal) + 1)..];

    private static string BarLabel(TargetSummary summary) =>
        string.Create(CultureInfo.InvariantCulture, $"{(summary.Target == LambdaSystem.Holiday ? "ours" : summary.Target == LambdaSystem.TypeScript ? "TS" : summary.Target)} C={summary.Concurrency}");
}

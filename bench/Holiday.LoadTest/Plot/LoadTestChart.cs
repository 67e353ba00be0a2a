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

        var multiplot = new Multiplot();
        multiplot.AddPlots(Columns * Rows);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(Rows, Columns);
        for (var i = 0; i < panels.Length; i++)
        {
            DrawPanel(multiplot.GetPlot(i), panels[i].Title, targets, concurrencies, (c, t) =>
                summaries.FirstOrDefault(s => s.Concurrency == c && s.Target == t) is { } summary ? panels[i].Value(summary) : double.NaN);
        }
        DrawInfo(multiplot.GetPlot(panels.Length), notes, targets);

        return multiplot.Render(Width, Height).GetImageBytes(ImageFormat.Png);
    }

    private static void DrawPanel(ScottPlot.Plot plot, string title, string[] targets, int[] concurrencies, Func<int, string, double> value)
    {
        plot.Title(title);
        var bars = new List<Bar>();
        var ticks = new List<Tick>();
        var group = targets.Length + 1; // a gap of one bar between groups
        for (var g = 0; g < concurrencies.Length; g++)
        {
            for (var t = 0; t < targets.Length; t++)
            {
                var v = value(concurrencies[g], targets[t]);
                if (double.IsFinite(v))
                {
                    bars.Add(new Bar
                    {
                        Position = (g * group) + t,
                        Value = v,
                        FillColor = TargetColours[targets[t]],
                        Label = Format(v),
                    });
                }
            }
            ticks.Add(new Tick((g * group) + ((targets.Length - 1) / 2.0), string.Create(CultureInfo.InvariantCulture, $"C={concurrencies[g]}")));
        }
        var barPlot = plot.Add.Bars(bars);
        barPlot.ValueLabelStyle.FontSize = 14;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.HideGrid();
        plot.Grid.YAxisStyle.IsVisible = true;
        plot.Axes.Margins(bottom: 0, top: 0.15);
    }

    private static void DrawInfo(ScottPlot.Plot plot, IReadOnlyList<string> notes, string[] targets)
    {
        plot.Layout.Frameless(); // which also drops a title: the heading is a text
        var heading = plot.Add.Text("Holiday load test:\ntrips booked through restate-server", 0.05, 0.97);
        heading.LabelFontSize = 22;
        heading.LabelBold = true;
        plot.HideGrid();
        plot.Axes.SetLimits(0, 1, 0, 1);
        for (var i = 0; i < notes.Count; i++)
        {
            var text = plot.Add.Text(notes[i], 0.05, 0.75 - (i * 0.1));
            text.LabelFontSize = 16;
        }
        foreach (var target in targets)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = target, FillColor = TargetColours[target] });
        }
        plot.Legend.FontSize = 16;
        plot.Legend.Alignment = Alignment.LowerCenter;
        plot.ShowLegend();
    }

    /// <summary>Three significant digits at most, no exponent.</summary>
    private static string Format(double value) => value switch
    {
        0 => "0",
        >= 100 => value.ToString("F0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("F1", CultureInfo.InvariantCulture),
        _ => value.ToString("F2", CultureInfo.InvariantCulture),
    };
}

using System.Globalization;
using Holiday.LoadTest.Measurement;
using Holiday.LoadTest.Results;
using Holiday.LoadTest.Targets;

namespace Holiday.LoadTest.Plot;

/// <summary>
/// The session's chart: eight grouped bar charts (trips/s, p50 and p99 latency, CPU ms per trip of the service,
/// restate-server and DynamoDB Local, the service's context switches per trip and peak RSS), each grouped by concurrency
/// with a bar per target.
/// </summary>
internal static class LoadTestChart
{
    private const int Width = 1800;
    private const int Height = 1570;
    private const int Columns = 3;
    private const int PanelTop = 130;
    private const int PanelWidth = Width / Columns;
    private const int PanelHeight = 460;

    private static readonly Dictionary<string, Rgb> TargetColours = new(StringComparer.Ordinal)
    {
        [TargetNames.Holiday] = new Rgb(92, 45, 145),
        [TargetNames.Noop] = new Rgb(160, 160, 160),
        [TargetNames.TypeScript] = new Rgb(49, 120, 198),
    };

    /// <summary>The PNG bytes.</summary>
    public static byte[] Render(SessionResults results)
    {
        var canvas = new Canvas(Width, Height, Rgb.White);
        var summaries = results.Summaries;
        var targets = summaries.Select(s => s.Target).Distinct().ToArray();
        var concurrencies = summaries.Select(s => s.Concurrency).Distinct().ToArray();
        var series = targets.Select(t => new BarSeries(t, TargetColours[t])).ToArray();
        var groups = concurrencies.Select(c => string.Create(CultureInfo.InvariantCulture, $"C={c}")).ToArray();

        canvas.DrawText(20, 14, "Holiday load test: trips booked through restate-server", Rgb.Black, 3);
        var settings = results.Settings;
        var otherCores = results.Runs.Select(r => r.OtherCores).DefaultIfEmpty(0).ToArray();
        canvas.DrawText(20, 48, string.Create(CultureInfo.InvariantCulture,
            $"{settings.Requests} trips per run, {settings.Rounds} rounds, {settings.Warmup} warm-up trips; C = closed-loop workers"), Rgb.Grey, 2);
        canvas.DrawText(20, 70, string.Create(CultureInfo.InvariantCulture,
            $"nproc {results.Machine.Nproc}; other work on the machine {otherCores.Min():F2}-{otherCores.Max():F2} cores; " +
            $"load average {results.LoadAverageStart} -> {results.LoadAverageEnd}"), Rgb.Grey, 2);
        var legendX = 20;
        foreach (var bar in series)
        {
            canvas.FillRectangle(legendX, 96, 24, 18, bar.Colour);
            canvas.DrawText(legendX + 32, 98, bar.Name, Rgb.Black, 2);
            legendX += 32 + BitmapFont.TextWidth(bar.Name, 2) + 40;
        }

        var panels = new[]
        {
            Panel("Trips/s (higher is better)", s => s.TripsPerSecond),
            Panel("p50 latency, ms", s => s.LatencyMs.P50),
            Panel("p99 latency, ms", s => s.LatencyMs.P99),
            Panel("CPU ms/trip: service process", s => s.CpuMsPerTrip(Roles.Service)),
            Panel("CPU ms/trip: restate-server", s => s.CpuMsPerTrip(Roles.RestateServer)),
            Panel("CPU ms/trip: DynamoDB Local", s => s.CpuMsPerTrip(Roles.DynamoDb)),
            Panel("Context switches/trip: service", s => s.ContextSwitchesPerTrip(Roles.Service)),
            Panel("Peak RSS MiB: service process", s => s.PeakRssKb(Roles.Service) / 1024.0),
        };
        for (var i = 0; i < panels.Length; i++)
        {
            GroupedBarChart.Draw(canvas, (i % Columns) * PanelWidth, PanelTop + ((i / Columns) * (PanelHeight + 20)), PanelWidth, PanelHeight, panels[i]);
        }

        return PngWriter.Encode(canvas);

        BarPanel Panel(string title, Func<TargetSummary, double> value) => new(title, groups, series,
            [.. concurrencies.Select(c => targets.Select(t =>
                summaries.FirstOrDefault(s => s.Concurrency == c && s.Target == t) is { } summary ? value(summary) : double.NaN).ToArray())]);
    }
}

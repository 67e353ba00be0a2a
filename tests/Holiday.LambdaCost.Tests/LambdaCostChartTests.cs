using System.Buffers.Binary;
using SkiaSharp;

namespace Holiday.LambdaCost.Tests;

/// <summary>The tool's chart, drawn from a small results object made up here (no session needed).</summary>
public sealed class LambdaCostChartTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void Render_BothSystemsAtTwoConcurrenciesWithColdTrips_IsAPngOfTheChartSizeThatDecodesWithTheBarsDrawn()
    {
        TargetSummary[] summaries =
        [
            SummaryOf(LambdaSystem.Holiday, 1, invocations: [9, 4, 4, 2], billedMs: [21, 27, 26, 13]),
            SummaryOf(LambdaSystem.TypeScript, 1, invocations: [7, 6, 2, 2], billedMs: [30, 75, 26, 27]),
            SummaryOf(LambdaSystem.Holiday, 16, invocations: [9, 4, 4, 2], billedMs: [120, 160, 160, 95]),
            SummaryOf(LambdaSystem.TypeScript, 16, invocations: [7, 6, 2, 2], billedMs: [180, 420, 140, 139]),
        ];
        ColdSummary[] cold =
        [
            ColdOf(LambdaSystem.Holiday, [21.7, 35.9, 38.4, 41.7]),
            ColdOf(LambdaSystem.TypeScript, [255.0, 301.8, 289.0, 314.3]),
        ];

        var png = LambdaCostChart.Render(summaries, cold, ["2 × 200 trips per run", "C = closed-loop workers"]);

        Assert.Equal(PngSignature, png[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal(LambdaCostChart.Width, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(LambdaCostChart.Height, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        // A full decode proves the file is whole. Each system's and each service's colour covering far more than its
        // legend swatch (a few hundred pixels) proves the bars were drawn: the grouped panels in the systems' colours,
        // the billed-ms panel stacked in the services' colours.
        using var bitmap = SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        Assert.Equal(LambdaCostChart.Width, bitmap.Width);
        Assert.Equal(LambdaCostChart.Height, bitmap.Height);
        var pixels = bitmap.Pixels.CountBy(p => (p.Red, p.Green, p.Blue)).ToDictionary();
        foreach (var colour in LambdaCostChart.TargetColours.Values.Concat(LambdaCostChart.ServiceColours))
        {
            Assert.True(pixels.GetValueOrDefault((colour.R, colour.G, colour.B)) > 2000, $"{colour} is not drawn as bars");
        }
    }

    private static TargetSummary SummaryOf(string target, int concurrency, double[] invocations, double[] billedMs)
    {
        var prefix = target == LambdaSystem.Holiday ? "holiday" : "ts";
        var latency = Summary.Of([.. Enumerable.Range(1, 50).Select(i => 100.0 * concurrency + i)]);
        FunctionSummary[] functions =
        [
            .. LambdaSystem.Services.Select((service, i) => new FunctionSummary($"{prefix}-{service}", invocations[i], billedMs[i],
                44_000, Summary.Of([billedMs[i] / invocations[i]]))),
        ];
        var billed = billedMs.Sum();
        var gbSeconds = billed / 1000.0 * 512 / 1024.0;
        return new TargetSummary(target, concurrency, 2, 400, 7.0, latency, 512, "x86_64", invocations.Sum(), billed,
            gbSeconds, gbSeconds, 4.5, 4.4, 4.5, 4.4, 0, 0, functions);
    }

    private static ColdSummary ColdOf(string target, double[] coldStartMs)
    {
        var prefix = target == LambdaSystem.Holiday ? "holiday" : "ts";
        ColdFunctionSummary[] functions =
        [
            .. LambdaSystem.Services.Select((service, i) => new ColdFunctionSummary($"{prefix}-{service}", coldStartMs[i] * 0.8,
                coldStartMs[i] * 0.2, coldStartMs[i], 27_000)),
        ];
        return new ColdSummary(target, 10, 4 * coldStartMs.Sum(), coldStartMs.Sum(), 90, functions);
    }
}

using System.Buffers.Binary;
using Holiday.LoadTest.Measurement;
using Holiday.LoadTest.Plot;
using Holiday.LoadTest.Results;
using Holiday.LoadTest.Targets;
using SkiaSharp;

namespace Holiday.LoadTest.Tests;

public sealed class LoadTestChartTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly int[] Concurrencies = [1, 16];
    private static readonly string[] Targets = [TargetNames.Holiday, TargetNames.Noop, TargetNames.TypeScript];

    [Fact]
    public void Render_ThreeTargetsAtTwoConcurrencies_IsAPngOfTheChartSizeThatDecodesWithBarsInTheTargetColours()
    {
        TargetSummary[] summaries =
        [
            .. Concurrencies.SelectMany(c => Targets.Select((t, i) => SummaryOf(t, c, tripsPerSecond: 20.0 * c / (i + 1)))),
        ];

        var png = LoadTestChart.Render(summaries, ["2 × 1000 trips per run", "C = closed-loop workers"]);

        Assert.Equal(PngSignature, png[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal(LoadTestChart.Width, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(LoadTestChart.Height, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        // A full decode proves the file is whole; the bars' colours covering far more than their legend swatches (a
        // few hundred pixels each) prove the data was drawn, not just the frame and the legend.
        using var bitmap = SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        Assert.Equal(LoadTestChart.Width, bitmap.Width);
        var pixels = bitmap.Pixels.CountBy(p => (p.Red, p.Green, p.Blue)).ToDictionary();
        Assert.True(pixels.GetValueOrDefault(((byte)92, (byte)45, (byte)145)) > 2000, "holiday's bars are not drawn");
        Assert.True(pixels.GetValueOrDefault(((byte)49, (byte)120, (byte)198)) > 2000, "ts's bars are not drawn");
    }

    private static TargetSummary SummaryOf(string target, int concurrency, double tripsPerSecond)
    {
        double[] latencies = [.. Enumerable.Range(1, 100).Select(i => 1000 / tripsPerSecond * concurrency * (0.8 + (i / 250.0)))];
        ProcessSummary[] processes =
        [
            new(Roles.Service, target, 1.2, 5.5, 100_000, 300),
            new(Roles.RestateServer, "restate-server", 3.0, 30, 270_000, 700),
            new(Roles.DynamoDb, "DynamoDB Local", 1.0, 9.9, 220_000, 150),
        ];
        return new TargetSummary(target, concurrency, 2, 2000, 2000 / tripsPerSecond, tripsPerSecond,
            [tripsPerSecond, tripsPerSecond], 0.05, Summary.Of(latencies), processes);
    }
}

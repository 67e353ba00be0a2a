namespace Holiday.Bench;

/// <summary>Order statistics of one series; percentiles by the nearest-rank method. Shared by the bench tools (linked).</summary>
internal sealed record Summary(int Count, double Mean, double Min, double P50, double P90, double P99, double Max)
{
    public static Summary Of(IReadOnlyCollection<double> samples)
    {
        if (samples.Count == 0)
        {
            throw new ArgumentException("No samples.", nameof(samples));
        }

        var sorted = samples.Order().ToArray();
        return new Summary(sorted.Length, sorted.Average(), sorted[0], Rank(sorted, 50), Rank(sorted, 90), Rank(sorted, 99), sorted[^1]);
    }

    /// <summary>The smallest sample with at least <paramref name="percent"/> % of the samples at or below it.</summary>
    private static double Rank(double[] sorted, int percent) =>
        sorted[Math.Max(0, (int)Math.Ceiling(percent / 100.0 * sorted.Length) - 1)];
}

using Holiday.LoadTest.Measurement;

namespace Holiday.LoadTest.Results;

/// <summary>One measured run: one target at one concurrency, on a fresh restate-server.</summary>
/// <param name="Target">The <c>--targets</c> value.</param>
/// <param name="Concurrency">Closed-loop workers.</param>
/// <param name="Round">1-based round.</param>
/// <param name="Trips">Trips booked in the measured window (all answers checked).</param>
/// <param name="WindowSeconds">From the first measured request sent to the last answer checked.</param>
/// <param name="LatencyMs">Per trip: request sent to the checked answer.</param>
/// <param name="Processes">CPU and peak RSS of each process in the window.</param>
/// <param name="OtherCpuSeconds">CPU time the rest of the machine (work outside the load test) used in the window.</param>
/// <param name="LoadAverageStart"><c>/proc/loadavg</c> when the window opened.</param>
/// <param name="LoadAverageEnd"><c>/proc/loadavg</c> when it closed.</param>
/// <param name="LatencySamplesMs">Every latency, in request order, rounded to 10 µs.</param>
internal sealed record RunResult(
    string Target,
    int Concurrency,
    int Round,
    int Trips,
    double WindowSeconds,
    Summary LatencyMs,
    IReadOnlyList<ProcessUsage> Processes,
    double OtherCpuSeconds,
    string LoadAverageStart,
    string LoadAverageEnd,
    IReadOnlyList<double> LatencySamplesMs)
{
    public double TripsPerSecond => Trips / WindowSeconds;

    /// <summary>How many cores, on average, other work on the machine kept busy during the window.</summary>
    public double OtherCores => OtherCpuSeconds / WindowSeconds;
}

/// <summary>A process's cost over all runs of one target at one concurrency.</summary>
/// <param name="Role">See <see cref="Roles"/>.</param>
/// <param name="Name">What runs.</param>
/// <param name="CpuSeconds">Total CPU time over the runs' windows.</param>
/// <param name="CpuMsPerTrip">That divided by the trips of those runs.</param>
/// <param name="PeakRssKb">The highest peak RSS of any of the runs.</param>
/// <param name="ContextSwitchesPerTrip">All context switches over the runs' windows ÷ their trips.</param>
internal sealed record ProcessSummary(string Role, string Name, double CpuSeconds, double CpuMsPerTrip, long PeakRssKb,
    double ContextSwitchesPerTrip);

/// <summary>
/// All runs of one target at one concurrency, pooled: trips/s = all trips ÷ all window time, latency percentiles over
/// all samples, CPU per trip = all CPU ÷ all trips.
/// </summary>
internal sealed record TargetSummary(
    string Target,
    int Concurrency,
    int Runs,
    int Trips,
    double WindowSeconds,
    double TripsPerSecond,
    IReadOnlyList<double> TripsPerSecondPerRun,
    double OtherCores,
    Summary LatencyMs,
    IReadOnlyList<ProcessSummary> Processes)
{
    public static TargetSummary Of(IReadOnlyList<RunResult> runs)
    {
        var first = runs[0];
        var trips = runs.Sum(r => r.Trips);
        var window = runs.Sum(r => r.WindowSeconds);
        var processes = first.Processes.Select(p =>
        {
            var usages = runs.Select(r => r.Processes.Single(u => u.Role == p.Role)).ToArray();
            var cpu = usages.Sum(u => u.CpuSeconds);
            return new ProcessSummary(p.Role, p.Name, cpu, cpu * 1000 / trips, usages.Max(u => u.PeakRssKb),
                (double)usages.Sum(u => u.ContextSwitches) / trips);
        }).ToArray();
        return new TargetSummary(first.Target, first.Concurrency, runs.Count, trips, window, trips / window,
            [.. runs.Select(r => r.TripsPerSecond)], runs.Sum(r => r.OtherCpuSeconds) / window, Summary.Of([.. runs.SelectMany(r => r.LatencySamplesMs)]), processes);
    }

    /// <summary>CPU ms per trip of the process with <paramref name="role"/>; NaN if it was not metered.</summary>
    public double CpuMsPerTrip(string role) => Processes.FirstOrDefault(p => p.Role == role)?.CpuMsPerTrip ?? double.NaN;

    /// <summary>Context switches per trip of the process with <paramref name="role"/>; NaN if it was not metered.</summary>
    public double ContextSwitchesPerTrip(string role) =>
        Processes.FirstOrDefault(p => p.Role == role)?.ContextSwitchesPerTrip ?? double.NaN;

    /// <summary>Peak RSS in KiB of the process with <paramref name="role"/>; 0 if it was not metered.</summary>
    public long PeakRssKb(string role) => Processes.FirstOrDefault(p => p.Role == role)?.PeakRssKb ?? 0;
}

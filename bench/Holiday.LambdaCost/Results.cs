using System.Globalization;
using System.Text;

namespace Holiday.LambdaCost;

/// <summary>One function's share of a run.</summary>
/// <param name="Function">The emulator's function name.</param>
/// <param name="InvocationsPerTrip">Its invocations started in the window ÷ trips.</param>
/// <param name="BilledMsPerTrip">Its billed milliseconds (each invocation's Duration rounded up to 1 ms) ÷ trips.</param>
/// <param name="PeakRssKb">VmHWM of each of its live instances at the end of the run (peak since the instance started).</param>
/// <param name="DurationMs">Lambda's Duration of each of its invocations, in the order they completed.</param>
internal sealed record FunctionUsage(string Function, double InvocationsPerTrip, double BilledMsPerTrip, IReadOnlyList<long> PeakRssKb,
    IReadOnlyList<double> DurationMs);

/// <summary>One measured run of one system.</summary>
internal sealed record RunResult(
    string Target,
    int Concurrency,
    int Round,
    int Trips,
    double ElapsedSeconds,
    Summary LatencyMs,
    int Invocations,
    int ColdStarts,
    int FailedInvocations,
    double BilledMs,
    Summary InvocationDurationMs,
    IReadOnlyList<FunctionUsage> Functions,
    IReadOnlyList<double> LatenciesMs)
{
    public double TripsPerSecond => Trips / ElapsedSeconds;
}

/// <summary>One function's cold start in a cold trip.</summary>
/// <param name="InitMs">Lambda's Init Duration: instance created → the runtime's first <c>/next</c>.</param>
/// <param name="FirstInvocationMs">Lambda's Duration of the invocation that cold start served.</param>
/// <param name="ColdStarts">Cold starts of this function in the trip (1 unless invocations overlapped).</param>
/// <param name="PeakRssKb">VmHWM of that instance at the end of the trip.</param>
internal sealed record ColdFunction(string Function, double InitMs, double FirstInvocationMs, int ColdStarts, long PeakRssKb)
{
    public double ColdStartMs => InitMs + FirstInvocationMs;
}

/// <summary>One cold trip of one system.</summary>
internal sealed record ColdResult(string Target, int Round, double LatencyMs, int Invocations, double BilledMs,
    IReadOnlyList<ColdFunction> Functions)
{
    /// <summary>Init + first invocation, summed over the four functions.</summary>
    public double ColdStartMs => Functions.Sum(f => f.ColdStartMs);
}

/// <summary>All runs of one system at one concurrency, pooled, with the cost figures.</summary>
internal sealed record TargetSummary(
    string Target,
    int Concurrency,
    int Runs,
    int Trips,
    double TripsPerSecond,
    Summary LatencyMs,
    int MemorySizeMb,
    string Architecture,
    double InvocationsPerTrip,
    double BilledMsPerTrip,
    double GbSecondsPerTrip,
    double GbSecondsPerTripAtEqualMemory,
    double DollarsPerMillionTripsX86,
    double DollarsPerMillionTripsArm64,
    double DollarsPerMillionTripsAtEqualMemoryX86,
    double DollarsPerMillionTripsAtEqualMemoryArm64,
    int ColdStartsInWindows,
    int FailedInvocations,
    IReadOnlyList<FunctionSummary> Functions)
{
    public static TargetSummary Of(LambdaSystem system, IReadOnlyList<RunResult> runs, int equalMemoryMb)
    {
        var trips = runs.Sum(r => r.Trips);
        var invocationsPerTrip = (double)runs.Sum(r => r.Invocations) / trips;
        var billedMsPerTrip = runs.Sum(r => r.BilledMs) / trips;
        var gbSeconds = GbSeconds(billedMsPerTrip, system.MemorySizeMb);
        var gbSecondsEqual = GbSeconds(billedMsPerTrip, equalMemoryMb);
        var functions = system.Functions.Select(f =>
        {
            var usage = runs.Select(r => r.Functions.Single(u => u.Function == f.Name)).ToList();
            return new FunctionSummary(f.Name,
                usage.Sum(u => u.InvocationsPerTrip) / usage.Count,
                usage.Sum(u => u.BilledMsPerTrip) / usage.Count,
                usage.SelectMany(u => u.PeakRssKb).DefaultIfEmpty(0).Max(),
                Summary.Of([.. usage.SelectMany(u => u.DurationMs)]));
        }).ToArray();
        return new TargetSummary(system.Name, runs[0].Concurrency, runs.Count, trips,
            trips / runs.Sum(r => r.ElapsedSeconds), Summary.Of([.. runs.SelectMany(r => r.LatenciesMs)]),
            system.MemorySizeMb, system.Architecture, invocationsPerTrip, billedMsPerTrip, gbSeconds, gbSecondsEqual,
            Pricing.PerMillionTrips(invocationsPerTrip, gbSeconds, "x86_64"),
            Pricing.PerMillionTrips(invocationsPerTrip, gbSeconds, "arm64"),
            Pricing.PerMillionTrips(invocationsPerTrip, gbSecondsEqual, "x86_64"),
            Pricing.PerMillionTrips(invocationsPerTrip, gbSecondsEqual, "arm64"),
            runs.Sum(r => r.ColdStarts), runs.Sum(r => r.FailedInvocations), functions);
    }

    private static double GbSeconds(double billedMs, int memoryMb) => billedMs / 1000.0 * memoryMb / 1024.0;
}

/// <summary>One function over all runs of a summary.</summary>
/// <param name="DurationMs">Lambda's Duration of its invocations, over all runs.</param>
internal sealed record FunctionSummary(string Function, double InvocationsPerTrip, double BilledMsPerTrip, long PeakRssKb,
    Summary DurationMs);

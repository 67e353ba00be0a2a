using System.Globalization;
using System.Text;

namespace Holiday.LambdaCost;

/// <summary>One system's cold trips, pooled: p50 over the rounds.</summary>
internal sealed record ColdSummary(string Target, int Trips, double LatencyMsP50, double ColdStartMsP50, double BilledMsP50,
    IReadOnlyList<ColdFunctionSummary> Functions)
{
    public static ColdSummary Of(string target, IReadOnlyList<ColdResult> cold) => new(target, cold.Count,
        Summary.Of([.. cold.Select(c => c.LatencyMs)]).P50,
        Summary.Of([.. cold.Select(c => c.ColdStartMs)]).P50,
        Summary.Of([.. cold.Select(c => c.BilledMs)]).P50,
        [.. cold[0].Functions.Select(f => f.Function).Select(name =>
        {
            var samples = cold.Select(c => c.Functions.Single(f => f.Function == name)).ToList();
            return new ColdFunctionSummary(name,
                Summary.Of([.. samples.Select(s => s.InitMs)]).P50,
                Summary.Of([.. samples.Select(s => s.FirstInvocationMs)]).P50,
                Summary.Of([.. samples.Select(s => s.ColdStartMs)]).P50,
                (long)Summary.Of([.. samples.Select(s => (double)s.PeakRssKb)]).P50);
        })]);
}

/// <summary>p50 of one function's cold starts.</summary>
internal sealed record ColdFunctionSummary(string Function, double InitMsP50, double FirstInvocationMsP50, double ColdStartMsP50,
    long PeakRssKbP50);

/// <summary>A target ratio, ours ÷ the original's.</summary>
internal sealed record Goal(string What, double Ours, double Original, double Ratio, double Target, bool Met)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{What}: {Ours:G4} / {Original:G4} = {Ratio:F3}× (target ≤ {Target}×): {(Met ? "met" : "NOT met")}");
}

/// <summary>Everything one session measured, as written to the JSON file.</summary>
internal sealed record SessionResults(
    DateTimeOffset Date,
    string Command,
    CostOptions Options,
    IReadOnlyDictionary<string, string> Machine,
    string Setup,
    string Prices,
    IReadOnlyList<SystemInfo> Systems,
    IReadOnlyList<TargetSummary> Summaries,
    IReadOnlyList<ColdSummary> ColdSummaries,
    IReadOnlyList<Goal> Goals,
    IReadOnlyList<RunResult> Runs,
    IReadOnlyList<ColdResult> ColdRuns)
{
    public static IReadOnlyList<Goal> Check(IReadOnlyList<TargetSummary> summaries, IReadOnlyList<ColdSummary> cold)
    {
        var goals = new List<Goal>();
        foreach (var ours in summaries.Where(s => s.Target == LambdaSystem.Holiday))
        {
            if (summaries.FirstOrDefault(s => s.Target == LambdaSystem.TypeScript && s.Concurrency == ours.Concurrency) is { } ts)
            {
                goals.Add(Make(string.Create(CultureInfo.InvariantCulture, $"GB-seconds per trip at equal memory, C={ours.Concurrency}"),
                    ours.GbSecondsPerTripAtEqualMemory, ts.GbSecondsPerTripAtEqualMemory, 0.5));
            }
        }

        if (cold.FirstOrDefault(c => c.Target == LambdaSystem.Holiday) is { } oursCold
            && cold.FirstOrDefault(c => c.Target == LambdaSystem.TypeScript) is { } tsCold)
        {
            goals.Add(Make("cold start (init + first invocation) summed over the four functions, p50 ms",
                oursCold.ColdStartMsP50, tsCold.ColdStartMsP50, 0.1));
            foreach (var (o, t) in oursCold.Functions.Zip(tsCold.Functions))
            {
                goals.Add(Make($"cold start (init + first invocation) of {o.Function} vs {t.Function}, p50 ms",
                    o.ColdStartMsP50, t.ColdStartMsP50, 0.1));
            }
        }

        return goals;

        static Goal Make(string what, double ours, double original, double target)
        {
            var ratio = ours / original;
            return new Goal(what, ours, original, ratio, target, ratio <= target);
        }
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine("| Target | C | Runs × trips | trips/s | p50 ms | Lambda invocations/trip | billed ms/trip | memory | GB-s/trip | GB-s/trip at equal memory | $/M trips x86_64 | $/M trips arm64 | cold starts in windows | failed invocations |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var s in Summaries)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {s.Target} | {s.Concurrency} | {s.Runs} × {s.Trips / s.Runs} | {s.TripsPerSecond:F1} | {s.LatencyMs.P50:F1} | {s.InvocationsPerTrip:F2} | {s.BilledMsPerTrip:F1} | {s.MemorySizeMb} MB {s.Architecture} | {s.GbSecondsPerTrip:E3} | {s.GbSecondsPerTripAtEqualMemory:E3} | {s.DollarsPerMillionTripsX86:F2} | {s.DollarsPerMillionTripsArm64:F2} | {s.ColdStartsInWindows} | {s.FailedInvocations} |"));
        }

        text.AppendLine();
        text.AppendLine("| Target | C | Function | invocations/trip | billed ms/trip | Duration p50 ms | p90 ms | max ms | peak RSS (VmHWM), MiB |");
        text.AppendLine("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var s in Summaries)
        {
            foreach (var f in s.Functions)
            {
                text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {s.Target} | {s.Concurrency} | {f.Function} | {f.InvocationsPerTrip:F2} | {f.BilledMsPerTrip:F2} | {f.DurationMs.P50:F2} | {f.DurationMs.P90:F2} | {f.DurationMs.Max:F1} | {f.PeakRssKb / 1024.0:F1} |"));
            }
        }

        if (ColdSummaries.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("| Target | Cold trips | Function | Init Duration p50 ms | first invocation p50 ms | init + first p50 ms | peak RSS p50 MiB |");
            text.AppendLine("| --- | ---: | --- | ---: | ---: | ---: | ---: |");
            foreach (var c in ColdSummaries)
            {
                foreach (var f in c.Functions)
                {
                    text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {c.Target} | {c.Trips} | {f.Function} | {f.InitMsP50:F1} | {f.FirstInvocationMsP50:F1} | {f.ColdStartMsP50:F1} | {f.PeakRssKbP50 / 1024.0:F1} |"));
                }

                text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {c.Target} | {c.Trips} | all four, summed (p50 of the sums) | | | {c.ColdStartMsP50:F1} | |"));
            }

            text.AppendLine();
            text.AppendLine("| Target | cold trip latency p50 ms | cold trip billed ms p50 (without init) |");
            text.AppendLine("| --- | ---: | ---: |");
            foreach (var c in ColdSummaries)
            {
                text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {c.Target} | {c.LatencyMsP50:F1} | {c.BilledMsP50:F0} |"));
            }
        }

        return text.ToString();
    }
}

/// <summary>How a system is deployed, for the JSON.</summary>
internal sealed record SystemInfo(string Target, string Label, int MemorySizeMb, string Architecture, string Runtime,
    IReadOnlyList<string> Functions)
{
    public static SystemInfo Of(LambdaSystem system) => new(system.Name, system.Label, system.MemorySizeMb, system.Architecture,
        system.Runtime, [.. system.Functions.Select(f => f.QualifiedArn)]);
}

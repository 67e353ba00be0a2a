using System.Globalization;
using Holiday.LoadTest.Measurement;
using Holiday.LoadTest.Targets;

namespace Holiday.LoadTest.Results;

/// <summary>One comparison the load test sets a goal for (the goals are listed in docs/benchmarks.md).</summary>
/// <param name="Description">What is compared, e.g. <c>service CPU per trip, holiday ÷ ts</c>.</param>
/// <param name="Concurrency">At which concurrency.</param>
/// <param name="Ours">Our value.</param>
/// <param name="Theirs">The value compared against.</param>
/// <param name="Unit">Unit of both values.</param>
/// <param name="Ratio">Ours ÷ theirs.</param>
/// <param name="Goal">The target for the ratio, e.g. <c>≤ 0.25</c>.</param>
/// <param name="Met">Whether the ratio meets it.</param>
internal sealed record GoalCheck(string Description, int Concurrency, double Ours, double Theirs, string Unit, double Ratio, string Goal, bool Met)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Description} at C={Concurrency}: {Ours:F2} vs {Theirs:F2} {Unit} = {Ratio:F2} (goal {Goal}): {(Met ? "met" : "NOT met")}");
}

/// <summary>The load test's goals, checked against the pooled summaries of a session.</summary>
internal static class Goals
{
    public static IReadOnlyList<GoalCheck> Check(IReadOnlyList<TargetSummary> summaries)
    {
        var checks = new List<GoalCheck>();
        var concurrencies = summaries.Select(s => s.Concurrency).Distinct().Order().ToArray();
        if (concurrencies.Length == 0)
        {
            return checks;
        }

        var lowest = concurrencies[0];
        var highest = concurrencies[^1];
        foreach (var c in concurrencies)
        {
            if (Find(TargetNames.Holiday, c) is { } ours && Find(TargetNames.TypeScript, c) is { } ts)
            {
                checks.Add(AtMost("service CPU per trip, holiday ÷ ts", c, ours.CpuMsPerTrip(Roles.Service), ts.CpuMsPerTrip(Roles.Service), "ms", 0.25));
            }
        }

        if (Find(TargetNames.Holiday, highest) is { } oursHigh && Find(TargetNames.TypeScript, highest) is { } tsHigh)
        {
            checks.Add(AtLeast("trips/s, holiday ÷ ts", highest, oursHigh.TripsPerSecond, tsHigh.TripsPerSecond, "trips/s", 1.3));
        }

        if (Find(TargetNames.Holiday, lowest) is { } oursLow && Find(TargetNames.TypeScript, lowest) is { } tsLow)
        {
            checks.Add(AtMost("p50 latency, holiday ÷ ts", lowest, oursLow.LatencyMs.P50, tsLow.LatencyMs.P50, "ms", 1.0));
        }

        foreach (var c in concurrencies)
        {
            if (Find(TargetNames.Holiday, c) is { } ours && Find(TargetNames.Noop, c) is { } noop)
            {
                checks.Add(AtLeast("trips/s, holiday ÷ noop", c, ours.TripsPerSecond, noop.TripsPerSecond, "trips/s", 0.8));
            }
        }

        return checks;

        TargetSummary? Find(string target, int concurrency) =>
            summaries.FirstOrDefault(s => s.Target == target && s.Concurrency == concurrency);
    }

    private static GoalCheck AtMost(string description, int c, double ours, double theirs, string unit, double limit) =>
        new(description, c, ours, theirs, unit, ours / theirs, string.Create(CultureInfo.InvariantCulture, $"≤ {limit:0.##}"), ours / theirs <= limit);

    private static GoalCheck AtLeast(string description, int c, double ours, double theirs, string unit, double limit) =>
        new(description, c, ours, theirs, unit, ours / theirs, string.Create(CultureInfo.InvariantCulture, $"≥ {limit:0.##}"), ours / theirs >= limit);
}

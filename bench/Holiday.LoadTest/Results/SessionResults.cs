using System.Globalization;
using System.Text;
using Holiday.LoadTest.Measurement;

namespace Holiday.LoadTest.Results;

/// <summary>The JSON document a session writes: configuration, machine, every run, the pooled summaries and the goals.</summary>
internal sealed record SessionResults(
    DateTimeOffset Date,
    string Command,
    LoadTestOptions Settings,
    MachineInfo Machine,
    string LoadAverageStart,
    string LoadAverageEnd,
    string Setup,
    IReadOnlyList<TargetSummary> Summaries,
    IReadOnlyList<GoalCheck> Goals,
    IReadOnlyList<RunResult> Runs)
{
    /// <summary>The tables printed at the end and pasted into docs/benchmarks.md.</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine("| Target | C | Runs × trips | trips/s (per run) | p50 ms | p90 ms | p99 ms | CPU ms/trip: service | restate-server | DynamoDB Local | load generator | other work, cores |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var s in Summaries)
        {
            var perRun = string.Join(", ", s.TripsPerSecondPerRun.Select(v => F(v, 1)));
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {s.Target} | {s.Concurrency} | {s.Runs} × {s.Trips / s.Runs} | {F(s.TripsPerSecond, 1)} ({perRun}) | {F(s.LatencyMs.P50, 1)} | {F(s.LatencyMs.P90, 1)} | {F(s.LatencyMs.P99, 1)} | " +
                $"{Cpu(s, Roles.Service)} | {Cpu(s, Roles.RestateServer)} | {Cpu(s, Roles.DynamoDb)} | {Cpu(s, Roles.LoadGenerator)} | {F(s.OtherCores, 2)} |");
        }

        text.AppendLine();
        text.AppendLine("| Target | C | Peak RSS MiB: service | restate-server | DynamoDB Local | context switches/trip: service | restate-server | DynamoDB Local |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var s in Summaries)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {s.Target} | {s.Concurrency} | {Mib(s, Roles.Service)} | {Mib(s, Roles.RestateServer)} | {Mib(s, Roles.DynamoDb)} | " +
                $"{Switches(s, Roles.Service)} | {Switches(s, Roles.RestateServer)} | {Switches(s, Roles.DynamoDb)} |");
        }

        return text.ToString();

        static string Cpu(TargetSummary s, string role) => double.IsNaN(s.CpuMsPerTrip(role)) ? "–" : F(s.CpuMsPerTrip(role), 2);

        static string Switches(TargetSummary s, string role) =>
            double.IsNaN(s.ContextSwitchesPerTrip(role)) ? "–" : F(s.ContextSwitchesPerTrip(role), 0);

        static string Mib(TargetSummary s, string role) => s.PeakRssKb(role) > 0 ? F(s.PeakRssKb(role) / 1024.0, 1) : "–";
    }

    private static string F(double value, int decimals) => value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}

using System.Collections.Concurrent;
using System.Globalization;

namespace Holiday.LambdaCost;

/// <summary>What the emulator's <c>REPORT</c> line says about one invocation.</summary>
/// <param name="DurationMs">Lambda's Duration: the event delivered to the runtime → its response (or error) posted.</param>
/// <param name="InitMs">Lambda's Init Duration on a cold start: instance created → the runtime's first <c>/next</c>.</param>
internal readonly record struct Report(double DurationMs, double? InitMs)
{
    /// <summary>Lambda bills the duration rounded up to the next millisecond.</summary>
    public double BilledMs => Math.Ceiling(DurationMs);
}

/// <summary>
/// Collects the <c>REPORT RequestId: … Duration: … ms … [Init Duration: … ms]</c> lines the emulator writes after each
/// invocation (through <c>LambdaEmulatorOptions.Log</c>), keyed by request id. The function's own output is dropped
/// here; <c>LambdaFunction.RecentLog</c> keeps its last lines for error messages.
/// </summary>
internal sealed class ReportLog
{
    private const string Marker = "REPORT RequestId: ";
    private readonly ConcurrentDictionary<string, Report> _reports = new(StringComparer.Ordinal);

    public void OnLine(string line)
    {
        var at = line.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return;
        }

        var fields = line[(at + Marker.Length)..].Split('\t');
        double? duration = null;
        double? init = null;
        foreach (var field in fields[1..])
        {
            if (field.StartsWith("Duration: ", StringComparison.Ordinal))
            {
                duration = Milliseconds(field["Duration: ".Length..]);
            }
            else if (field.StartsWith("Init Duration: ", StringComparison.Ordinal))
            {
                init = Milliseconds(field["Init Duration: ".Length..]);
            }
        }

        if (duration is { } d)
        {
            _reports[fields[0]] = new Report(d, init);
        }
    }

    /// <summary>The report of <paramref name="requestId"/>; it follows the invocation record by a moment, so this waits
    /// up to 5 s for it.</summary>
    public async Task<Report> GetAsync(string requestId, CancellationToken ct)
    {
        for (var waited = 0; waited < 5000; waited += 10)
        {
            if (_reports.TryGetValue(requestId, out var report))
            {
                return report;
            }

            await Task.Delay(10, ct);
        }

        throw new InvalidOperationException($"The emulator wrote no REPORT line for request {requestId}.");
    }

    // "12.34 ms"
    private static double Milliseconds(string value) =>
        double.Parse(value.EndsWith(" ms", StringComparison.Ordinal) ? value[..^3] : value, NumberStyles.Float,
            CultureInfo.InvariantCulture);
}

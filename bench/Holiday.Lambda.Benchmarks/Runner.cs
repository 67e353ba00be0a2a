using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Restate.Sdk.Testing.Lambda;

namespace Holiday.Lambda.Benchmarks;

/// <summary>One cold start and the invocation right after it.</summary>
/// <param name="Round">1-based round; 0 is the unmeasured warm-up.</param>
/// <param name="First">Whether this variant went first in its round.</param>
/// <param name="ProcessToResponseMs">From just before the process was started to the emulator receiving its response.
/// </param>
/// <param name="InvokeMs">The emulator's invocation duration: Invoke request arrival to response, including starting
/// the instance's Runtime API listener and the process.</param>
/// <param name="ClientMs">Wall-clock around <c>InvokeAsync</c> (the Invoke API round trip on top).</param>
/// <param name="InitMs">Lambda's Init Duration (REPORT line): instance created to the runtime's first <c>/next</c>.
/// </param>
/// <param name="FunctionMs">Lambda's Duration of the first invocation: event delivered to response posted.</param>
/// <param name="PeakRssKb">VmHWM right after the first response.</param>
/// <param name="SecondClientMs">Wall-clock of the second invocation (the first warm one).</param>
/// <param name="SecondFunctionMs">Lambda's Duration of the second invocation.</param>
/// <param name="ProcessId">The instance's PID.</param>
internal sealed record ColdSample(int Round, bool First, double ProcessToResponseMs, double InvokeMs, double ClientMs,
    double InitMs, double FunctionMs, long PeakRssKb, double SecondClientMs, double SecondFunctionMs, int ProcessId);

/// <summary>One warm invocation.</summary>
/// <param name="ClientMs">Wall-clock around <c>InvokeAsync</c>.</param>
/// <param name="InvokeMs">The emulator's invocation duration.</param>
/// <param name="FunctionMs">Lambda's Duration: event delivered to response posted.</param>
internal sealed record WarmSample(double ClientMs, double InvokeMs, double FunctionMs);

/// <summary>Sends discovery events through the emulator and takes the measurements of one invocation.</summary>
internal sealed class Runner(LambdaEmulator emulator, TimeSpan settle)
{
    /// <summary>What restate-server sends to discover a Lambda endpoint.</summary>
    public const string DiscoveryEvent =
        """{"path":"/discover","httpMethod":"GET","headers":{"accept":"application/vnd.restate.endpointmanifest.v4+json"},"body":"","isBase64Encoded":true}""";

    /// <summary>Kills the variant's instance, waits <c>settle</c>, and measures a cold start plus the next invocation.</summary>
    public async Task<ColdSample> ColdAsync(Variant variant, int round, bool first, CancellationToken ct)
    {
        await emulator.StopInstancesAsync(variant.FunctionName);
        await Task.Delay(settle, ct);

        var (client, invocation, report) = await InvokeAsync(variant, expectCold: true, ct);
        var processToResponse = invocation.StartedAt + invocation.Duration - variant.LastSpawn;
        var memory = ProcStatus.Read(invocation.ProcessId);
        var (secondClient, _, secondReport) = await InvokeAsync(variant, expectCold: false, ct);
        return new ColdSample(round, first, processToResponse.TotalMilliseconds, invocation.Duration.TotalMilliseconds,
            client.TotalMilliseconds, report.InitMs ?? throw new InvalidOperationException("A cold REPORT without Init Duration."),
            report.DurationMs, memory.PeakRssKb, secondClient.TotalMilliseconds, secondReport.DurationMs, invocation.ProcessId);
    }

    /// <summary>One invocation of the variant's live instance.</summary>
    public async Task<WarmSample> WarmAsync(Variant variant, CancellationToken ct)
    {
        var (client, invocation, report) = await InvokeAsync(variant, expectCold: false, ct);
        return new WarmSample(client.TotalMilliseconds, invocation.Duration.TotalMilliseconds, report.DurationMs);
    }

    /// <summary>The one live process of the variant.</summary>
    public int ProcessId(Variant variant) =>
        emulator.GetFunction(variant.FunctionName).ProcessIds is [var pid]
            ? pid
            : throw new InvalidOperationException($"{variant.FunctionName} should have exactly one live instance.");

    private async Task<(TimeSpan Client, LambdaInvocation Invocation, Report Report)> InvokeAsync(Variant variant,
        bool expectCold, CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        var result = await emulator.InvokeAsync(variant.FunctionName, DiscoveryEvent, ct);
        var client = stopwatch.Elapsed;

        CheckManifest(variant, result);
        var invocation = emulator.Invocations.LastOrDefault(i => i.RequestId == result.RequestId)
            ?? throw new InvalidOperationException($"{variant.FunctionName}: invocation {result.RequestId} is not in the log.");
        if (invocation.ColdStart != expectCold)
        {
            throw new InvalidOperationException(
                $"{variant.FunctionName}: expected a {(expectCold ? "cold" : "warm")} invocation, got the other (instance died?).");
        }

        return (client, invocation, FindReport(variant, result.RequestId!));
    }

    /// <summary>The answer must be a 200 API Gateway response whose body is a manifest with at least one service.</summary>
    private static void CheckManifest(Variant variant, LambdaInvokeResult result)
    {
        if (result.StatusCode != 200 || result.FunctionError is not null || result.RequestId is null)
        {
            throw new InvalidOperationException(
                $"{variant.FunctionName}: discovery failed ({result.StatusCode}, {result.FunctionError}): {result.Payload}");
        }

        using var response = JsonDocument.Parse(result.Payload);
        var root = response.RootElement;
        if (root.GetProperty("statusCode").GetInt32() != 200)
        {
            throw new InvalidOperationException($"{variant.FunctionName}: discovery answered {result.Payload}");
        }

        var body = root.GetProperty("body").GetString() ?? "";
        var json = root.TryGetProperty("isBase64Encoded", out var base64) && base64.GetBoolean()
            ? Encoding.UTF8.GetString(Convert.FromBase64String(body))
            : body;
        using var manifest = JsonDocument.Parse(json);
        if (manifest.RootElement.GetProperty("services").GetArrayLength() == 0)
        {
            throw new InvalidOperationException($"{variant.FunctionName}: the manifest lists no services: {json}");
        }
    }

    /// <summary>Lambda's <c>REPORT RequestId: … Duration: … ms … [Init Duration: … ms]</c> line for the request.</summary>
    private Report FindReport(Variant variant, string requestId)
    {
        var log = emulator.GetFunction(variant.FunctionName).RecentLog;
        var marker = $"REPORT RequestId: {requestId}\t";
        for (var i = log.Count - 1; i >= 0; i--)
        {
            var line = log[i];
            var at = line.IndexOf(marker, StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            double? duration = null;
            double? init = null;
            foreach (var field in line[(at + marker.Length)..].Split('\t'))
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

            return new Report(duration ?? throw new InvalidOperationException($"No Duration in: {line}"), init);
        }

        throw new InvalidOperationException($"{variant.FunctionName}: no REPORT line for {requestId}.");
    }

    // "12.34 ms"
    private static double Milliseconds(string value) =>
        double.Parse(value.EndsWith(" ms", StringComparison.Ordinal) ? value[..^3] : value, NumberStyles.Float,
            CultureInfo.InvariantCulture);

    private readonly record struct Report(double DurationMs, double? InitMs);
}

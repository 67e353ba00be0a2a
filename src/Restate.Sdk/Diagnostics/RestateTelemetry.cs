using System.Diagnostics;

namespace Restate.Sdk.Diagnostics;

/// <summary>
/// The SDK's tracing: an <see cref="ActivitySource"/> named <see cref="ActivitySourceName"/> with one SERVER span per
/// invocation attempt (<c>attempt &lt;Service&gt;/&lt;handler&gt;</c>, parented on the W3C <c>traceparent</c> restate-server
/// sends with the attempt) and one child span per executed run (<c>run (&lt;name&gt;)</c>). Subscribe with
/// OpenTelemetry's <c>AddSource(RestateTelemetry.ActivitySourceName)</c>; with no listener nothing is allocated.
/// </summary>
public static class RestateTelemetry
{
    /// <summary>The name of the SDK's <see cref="ActivitySource"/>: <c>Restate.Sdk</c>.</summary>
    public const string ActivitySourceName = "Restate.Sdk";

    /// <summary>Span attribute: the invocation id, <c>inv_…</c>.</summary>
    public const string InvocationIdAttribute = "restate.invocation.id";

    /// <summary>Span attribute: the target, <c>Service/handler</c> or <c>Service/key/handler</c>.</summary>
    public const string InvocationTargetAttribute = "restate.invocation.target";

    /// <summary>Span attribute on run spans: the run's name.</summary>
    public const string RunNameAttribute = "restate.run.name";

    internal static readonly ActivitySource Source = new(ActivitySourceName,
        typeof(RestateTelemetry).Assembly.GetName().Version?.ToString(3));

    /// <summary>The invocation target as Restate's own spans name it.</summary>
    internal static string Target(string service, string? key, string handler) =>
        string.IsNullOrEmpty(key) ? $"{service}/{handler}" : $"{service}/{key}/{handler}";

    /// <summary>Starts the attempt span, or returns null (at no cost) when nobody listens.</summary>
    internal static Activity? StartAttempt(string service, string handler, string invocationId, string target,
        string? traceParent, string? traceState)
    {
        if (!Source.HasListeners())
        {
            return null;
        }
        ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var parent);
        return Source.StartActivity(ActivityKind.Server, parent,
            [new(InvocationIdAttribute, invocationId), new(InvocationTargetAttribute, target)],
            name: $"attempt {service}/{handler}");
    }

    /// <summary>Starts a run span under the attempt, or returns null when nobody listens.</summary>
    internal static Activity? StartRun(string name, Activity? attempt, string invocationId)
    {
        if (!Source.HasListeners())
        {
            return null;
        }
        return Source.StartActivity(ActivityKind.Internal, attempt?.Context ?? default,
            [new(RunNameAttribute, name), new(InvocationIdAttribute, invocationId)],
            name: $"run ({name})");
    }
}

using System.Diagnostics;

namespace Restate.Sdk.Testing.Otlp;

/// <summary>One span as an exporter sent it to <see cref="OtlpTraceReceiver"/>, with ids as lower-case hex.</summary>
public sealed record ReceivedSpan
{
    /// <summary>The 32-character trace id shared by every span of one trace.</summary>
    public required string TraceId { get; init; }

    /// <summary>The 16-character id of this span.</summary>
    public required string SpanId { get; init; }

    /// <summary>The id of the parent span, or null for a root span.</summary>
    public string? ParentSpanId { get; init; }

    /// <summary>The span name, for example <c>attempt Trips/reserve</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The span kind (OTLP's UNSPECIFIED is reported as <see cref="ActivityKind.Internal"/>).</summary>
    public required ActivityKind Kind { get; init; }

    /// <summary>
    /// The span attributes: <see cref="string"/>, <see cref="bool"/>, <see cref="long"/>, <see cref="double"/>,
    /// <c>byte[]</c>, or an <c>object?[]</c> of those for arrays.
    /// </summary>
    public required IReadOnlyDictionary<string, object?> Attributes { get; init; }

    /// <summary>The attributes of the resource that produced the span (<c>service.name</c>, ...).</summary>
    public required IReadOnlyDictionary<string, object?> ResourceAttributes { get; init; }

    /// <summary>The instrumentation scope, for example the <c>ActivitySource</c> name of a .NET exporter.</summary>
    public required string ScopeName { get; init; }

    /// <summary>True when the span's status is ERROR.</summary>
    public bool IsError { get; init; }

    /// <summary>When the span started.</summary>
    public DateTimeOffset Start { get; init; }

    /// <summary>When the span ended.</summary>
    public DateTimeOffset End { get; init; }

    /// <summary>How the span arrived.</summary>
    public OtlpTransport Transport { get; init; }

    /// <summary>The resource's <c>service.name</c>, or null when the exporter did not set one.</summary>
    public string? ServiceName => ResourceAttributes.TryGetValue("service.name", out var name) ? name as string : null;

    /// <summary>A string attribute of the span, or null when it is absent or not a string.</summary>
    public string? StringAttribute(string key) => Attributes.TryGetValue(key, out var value) ? value as string : null;

    /// <inheritdoc />
    public override string ToString() =>
        $"{Name} [{Kind}] trace {TraceId} span {SpanId} parent {ParentSpanId ?? "-"} ({ServiceName ?? "?"})";
}

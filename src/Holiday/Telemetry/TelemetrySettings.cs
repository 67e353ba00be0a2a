using OpenTelemetry.Exporter;

namespace Holiday.Telemetry;

/// <summary>
/// Where a Holiday process sends its traces, from the standard OpenTelemetry variables: <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// (unset: no tracing), <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> (<c>grpc</c>, the default, or <c>http/protobuf</c>) and
/// <c>OTEL_SERVICE_NAME</c> (default: the name the process passes, such as <c>holiday-trips</c>).
/// </summary>
/// <param name="OtlpEndpoint">The collector's base address; null turns tracing off.</param>
/// <param name="Protocol">OTLP over gRPC, or over HTTP with protobuf bodies (posted to <c>/v1/traces</c>).</param>
/// <param name="ServiceName">The resource's <c>service.name</c>.</param>
public sealed record TelemetrySettings(Uri? OtlpEndpoint, OtlpExportProtocol Protocol, string ServiceName)
{
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string ProtocolVariable = "OTEL_EXPORTER_OTLP_PROTOCOL";
    public const string ServiceNameVariable = "OTEL_SERVICE_NAME";

    /// <summary>No export: spans are not even recorded.</summary>
    public static TelemetrySettings Disabled(string serviceName) => new(null, OtlpExportProtocol.Grpc, serviceName);

    /// <summary>Reads the variables; a malformed value throws an <see cref="ArgumentException"/> naming the variable.</summary>
    public static TelemetrySettings FromEnvironment(string defaultServiceName, Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        var serviceName = getVariable(ServiceNameVariable) is { } name && !string.IsNullOrWhiteSpace(name) ? name.Trim() : defaultServiceName;
        var endpoint = getVariable(EndpointVariable) is { } text && !string.IsNullOrWhiteSpace(text)
            ? ParseEndpoint(text.Trim(), EndpointVariable)
            : null;
        var protocol = getVariable(ProtocolVariable)?.Trim() switch
        {
            null or "" or "grpc" => OtlpExportProtocol.Grpc,
            "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
            var other => throw new ArgumentException($"{ProtocolVariable} must be 'grpc' or 'http/protobuf', not '{other}'."),
        };
        return new TelemetrySettings(endpoint, protocol, serviceName);
    }

    /// <summary>
    /// An absolute http(s) URL such as <c>http://127.0.0.1:4317</c>; otherwise an <see cref="ArgumentException"/> that
    /// names <paramref name="source"/> (the variable or command-line option the text came from).
    /// </summary>
    public static Uri ParseEndpoint(string text, string source) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && !string.IsNullOrEmpty(uri.Host)
            ? uri
            : throw new ArgumentException($"{source} must be an absolute http:// or https:// URL such as http://127.0.0.1:4317, not '{text}'.");
}

using System.Reflection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Restate.Sdk.Diagnostics;

namespace Holiday.Hosting;

/// <summary>
/// The one place that sets up traces and logs for the Holiday host, the Lambda bootstrap and the local run: the SDK's
/// <c>attempt</c>/<c>run</c> spans, the AWS SDK's HTTP calls (DynamoDB, SQS) as children of the <c>run</c> span they happen
/// in, a resource naming the service, and the OTLP exporter.
/// </summary>
public static class HolidayTelemetry
{
    /// <summary>The <c>service.namespace</c> of every Holiday process.</summary>
    public const string ServiceNamespace = "holiday";

    /// <summary>The variable whose presence turns tracing on (OpenTelemetry reads its value).</summary>
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// A tracer provider exporting over OTLP, or null when there is nowhere to export to (then nobody listens to the
    /// SDK's activity source and tracing costs nothing). Dispose it at shutdown (it flushes); on Lambda call
    /// <see cref="TracerProviderExtensions.ForceFlush"/> before each response, since a frozen sandbox exports nothing.
    /// </summary>
    /// <remarks>
    /// Without <paramref name="otlpEndpoint"/>, OpenTelemetry reads its standard variables itself:
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> (<c>grpc</c> or <c>http/protobuf</c>, which
    /// posts to <c>/v1/traces</c>) and <c>OTEL_SERVICE_NAME</c>. Only whether the endpoint is set is read here: the exporter
    /// would otherwise send to its default address, and CDK turns tracing off with an empty endpoint.
    /// </remarks>
    /// <param name="defaultServiceName">The <c>service.name</c> unless <c>OTEL_SERVICE_NAME</c> says otherwise.</param>
    /// <param name="otlpEndpoint">An OTLP/gRPC collector named in code (the local run's <c>--otlp-endpoint</c>, tests); it wins over the variables.</param>
    /// <param name="getVariable">Reads the environment (the endpoint's presence and the Lambda variables the resource describes).</param>
    public static TracerProvider? CreateTracerProvider(string defaultServiceName, Uri? otlpEndpoint = null, Func<string, string?>? getVariable = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(defaultServiceName);
        getVariable ??= Environment.GetEnvironmentVariable;
        if (otlpEndpoint is null && string.IsNullOrWhiteSpace(getVariable(EndpointVariable)))
        {
            return null;
        }
        ValidateVariables(getVariable);

        var runtimeApi = getVariable("AWS_LAMBDA_RUNTIME_API");
        return Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(CreateResource(defaultServiceName, getVariable))
            .AddSource(RestateTelemetry.ActivitySourceName)
            .AddHttpClientInstrumentation(http =>
            {
                // The Lambda loop's own calls (GET next, POST response) are not part of any trip.
                http.FilterHttpRequestMessage = request => runtimeApi is null
                    || !string.Equals(request.RequestUri?.Authority, runtimeApi, StringComparison.OrdinalIgnoreCase);
            })
            .AddOtlpExporter(otlp =>
            {
                if (otlpEndpoint is not null)
                {
                    otlp.Endpoint = otlpEndpoint;
                    otlp.Protocol = OtlpExportProtocol.Grpc;
                }
            })
            .Build();
    }

    /// <summary>The protocol variable's name; OpenTelemetry reads it, the check below only refuses what it would misread.</summary>
    public const string ProtocolVariable = "OTEL_EXPORTER_OTLP_PROTOCOL";

    // OpenTelemetry reports a malformed value through its own diagnostics and goes on exporting nowhere; a process that
    // was asked to trace should instead stop at start with the variable named.
    private static void ValidateVariables(Func<string, string?> getVariable)
    {
        if (getVariable(EndpointVariable) is { } endpoint && !string.IsNullOrWhiteSpace(endpoint)
            && !(Uri.TryCreate(endpoint.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            throw new InvalidOperationException(
                $"{EndpointVariable} must be an absolute http:// or https:// URL such as http://127.0.0.1:4317, not '{endpoint}'.");
        }
        if (getVariable(ProtocolVariable) is { } protocol && !string.IsNullOrWhiteSpace(protocol)
            && protocol.Trim() is not ("grpc" or "http/protobuf"))
        {
            throw new InvalidOperationException($"{ProtocolVariable} must be 'grpc' or 'http/protobuf', not '{protocol}'.");
        }
    }

    /// <summary>
    /// Console logging with scopes, so the invocation id and target that <c>ctx.Logger</c> puts in its scope appear
    /// with every line, and so do the trace and span id while tracing is on: a log line leads to its trace.
    /// </summary>
    public static ILoggingBuilder AddHolidayConsole(this ILoggingBuilder logging, ConsoleLogFormat format)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.ClearProviders();
        logging.Configure(options => options.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        return format == ConsoleLogFormat.Json
            ? logging.AddJsonConsole(json =>
            {
                json.IncludeScopes = true;
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            })
            : logging.AddSimpleConsole(simple =>
            {
                simple.IncludeScopes = true;
                simple.SingleLine = true;
                simple.TimestampFormat = "HH:mm:ss.fff ";
            });
    }

    private static ResourceBuilder CreateResource(string defaultServiceName, Func<string, string?> getVariable)
    {
        var version = typeof(HolidayTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        // Later detectors win: OTEL_SERVICE_NAME (and OTEL_RESOURCE_ATTRIBUTES) override the default name.
        var resource = ResourceBuilder.CreateEmpty()
            .AddService(defaultServiceName, ServiceNamespace, version, autoGenerateServiceInstanceId: true)
            .AddTelemetrySdk()
            .AddEnvironmentVariableDetector();
        if (getVariable("AWS_LAMBDA_FUNCTION_NAME") is { Length: > 0 } function)
        {
            var attributes = new Dictionary<string, object>
            {
                ["cloud.provider"] = "aws",
                ["cloud.platform"] = "aws_lambda",
                ["faas.name"] = function,
            };
            if (getVariable("AWS_LAMBDA_FUNCTION_VERSION") is { Length: > 0 } functionVersion)
            {
                attributes["faas.version"] = functionVersion;
            }
            if (getVariable("AWS_REGION") is { Length: > 0 } region)
            {
                attributes["cloud.region"] = region;
            }
            resource.AddAttributes(attributes);
        }
        return resource;
    }
}

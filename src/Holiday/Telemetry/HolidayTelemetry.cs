using System.Reflection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Restate.Sdk.Diagnostics;

namespace Holiday.Telemetry;

/// <summary>How the Holiday processes write their logs to the console.</summary>
public enum ConsoleLogFormat
{
    /// <summary>One readable line per entry, with its scopes (local runs, the HTTP host).</summary>
    Readable,

    /// <summary>One JSON object per line, with its scopes, for CloudWatch Logs Insights (Lambda).</summary>
    Json,
}

/// <summary>
/// The one place that sets up traces and logs for the Holiday host, the Lambda bootstrap and the local run: the SDK's
/// <c>attempt</c>/<c>run</c> spans, the AWS SDK's HTTP calls (DynamoDB, SQS) as children of the <c>run</c> span they happen
/// in, a resource naming the service, and the OTLP exporter.
/// </summary>
public static class HolidayTelemetry
{
    /// <summary>The <c>service.namespace</c> of every Holiday process.</summary>
    public const string ServiceNamespace = "holiday";

    /// <summary>
    /// A tracer provider exporting to <see cref="TelemetrySettings.OtlpEndpoint"/>, or null when it is not set (then
    /// nobody listens to the SDK's activity source and tracing costs nothing). Dispose it at shutdown (it flushes);
    /// on Lambda call <see cref="TracerProviderExtensions.ForceFlush"/> before each response, since a frozen sandbox
    /// exports nothing.
    /// </summary>
    /// <param name="settings">Endpoint, protocol and service name.</param>
    /// <param name="getVariable">Reads the Lambda variables the resource describes (<c>AWS_LAMBDA_FUNCTION_NAME</c>, ...).</param>
    public static TracerProvider? CreateTracerProvider(TelemetrySettings settings, Func<string, string?>? getVariable = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.OtlpEndpoint is not { } endpoint)
        {
            return null;
        }

        getVariable ??= Environment.GetEnvironmentVariable;
        var runtimeApi = getVariable("AWS_LAMBDA_RUNTIME_API");
        return Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(CreateResource(settings.ServiceName, getVariable))
            .AddSource(RestateTelemetry.ActivitySourceName)
            .AddHttpClientInstrumentation(http =>
            {
                // The Lambda loop's own calls (GET next, POST response) are not part of any trip.
                http.FilterHttpRequestMessage = request => runtimeApi is null
                    || !string.Equals(request.RequestUri?.Authority, runtimeApi, StringComparison.OrdinalIgnoreCase);
            })
            .AddOtlpExporter(otlp =>
            {
                otlp.Protocol = settings.Protocol;
                // An endpoint set in code is used as is: for OTLP/HTTP it must name the traces path itself.
                otlp.Endpoint = settings.Protocol == OtlpExportProtocol.HttpProtobuf
                    ? new Uri(endpoint, endpoint.AbsolutePath.TrimEnd('/') + "/v1/traces")
                    : endpoint;
            })
            .Build();
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

    private static ResourceBuilder CreateResource(string serviceName, Func<string, string?> getVariable)
    {
        var version = typeof(HolidayTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var resource = ResourceBuilder.CreateDefault()
            .AddService(serviceName, ServiceNamespace, version, autoGenerateServiceInstanceId: true);
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

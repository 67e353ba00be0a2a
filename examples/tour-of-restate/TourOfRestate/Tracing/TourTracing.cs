using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Restate.Sdk.Diagnostics;

namespace TourOfRestate.Tracing;

/// <summary>Exports the SDK's spans (one per handler attempt and per executed run) to an OpenTelemetry collector.</summary>
public static class TourTracing
{
    /// <summary>The <c>service.name</c> of the tour's spans.</summary>
    public const string ServiceName = "tour-of-restate";

    /// <summary>The variable that turns tracing on, as every OpenTelemetry SDK reads it.</summary>
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// Reads <see cref="EndpointVariable"/> from <paramref name="configuration"/> (environment variables included):
    /// null when it is not set, so tracing stays off and costs nothing.
    /// </summary>
    /// <exception cref="InvalidOperationException">The value is not an absolute http(s) address.</exception>
    public static Uri? Endpoint(IConfiguration configuration)
    {
        var value = configuration[EndpointVariable];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (!Uri.TryCreate(value, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            throw new InvalidOperationException($"{EndpointVariable} is '{value}': expected an OTLP/gRPC address such as http://localhost:4317.");
        }
        return endpoint;
    }

    /// <summary>Sends the SDK's spans to <paramref name="otlpEndpoint"/> over OTLP/gRPC (Jaeger's port 4317).</summary>
    public static IServiceCollection AddTourTracing(this IServiceCollection services, Uri otlpEndpoint)
    {
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithTracing(tracing => tracing
                .AddSource(RestateTelemetry.ActivitySourceName)
                .AddOtlpExporter(otlp => otlp.Endpoint = otlpEndpoint));
        return services;
    }
}

using Holiday.Hosting;
using Holiday.Services;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using OpenTelemetry.Trace;
using Restate.Sdk.AspNetCore;

namespace Holiday.Host;

/// <summary>Builds the web application that serves trips, trip_saga, flights, cars and payments.</summary>
public static class HolidayHost
{
    public static WebApplication Build(HostSettings settings, HolidayDependencies dependencies, string[]? args = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args ?? []);
        builder.Logging.AddHolidayConsole(ConsoleLogFormat.Readable);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // Null when tracing is off; otherwise owned by the container: disposing the app flushes the spans still queued.
        builder.Services.AddSingleton(_ => HolidayTelemetry.CreateTracerProvider(HostSettings.DefaultServiceName, settings.OtlpEndpoint)!);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Restate registers http:// deployments over cleartext HTTP/2, which Kestrel only speaks on an HTTP/2-only endpoint.
            kestrel.Listen(settings.BindAddress, settings.Http2Port, listen => listen.Protocols = HttpProtocols.Http2);
            if (settings.Http1Port is { } http1Port)
            {
                kestrel.Listen(settings.BindAddress, http1Port, listen => listen.Protocols = HttpProtocols.Http1);
            }
        });
        builder.Services.AddSingleton(dependencies);
        // Each invocation attempt runs on service instances from a DI scope of its own; the endpoint logs to the app's
        // logging. The keys are the ones HostSettings read (RESTATE_IDENTITY_KEYS), replacing any from configuration.
        builder.Services.AddRestate(restate => restate
            .AddHolidayServices()
            .Configure(options => options.IdentityKeys = [.. settings.IdentityKeys]));
        var app = builder.Build();
        // Resolve the provider now, so it listens before the first request.
        _ = app.Services.GetService<TracerProvider>();
        app.MapRestate();
        return app;
    }
}

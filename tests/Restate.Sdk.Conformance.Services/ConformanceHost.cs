using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Restate.Sdk.AspNetCore;
using Restate.Sdk.Definitions;
using Restate.Sdk.Endpoint;

namespace Restate.Sdk.Conformance.Services;

/// <summary>
/// Serves the selected contract services on loopback: h2c (HTTP/2 prior knowledge, bidirectional streaming) and,
/// when asked for, a second HTTP/1.1 listener (request/response) for deployments registered over HTTP/1.1.
/// </summary>
internal sealed class ConformanceHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ConformanceHost(WebApplication app, Uri http2Uri, Uri? http1Uri)
    {
        _app = app;
        Http2Uri = http2Uri;
        Http1Uri = http1Uri;
    }

    public Uri Http2Uri { get; }

    public Uri? Http1Uri { get; }

    /// <summary>
    /// How long a stop waits for in-flight requests. A bidirectional invocation blocked on an awakeable keeps its
    /// request open until the runtime's inactivity timeout, so waiting for it (30 s by default) would only delay the
    /// stop; the runtime retries an invocation whose connection was cut.
    /// </summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(2);

    public static async Task<ConformanceHost> StartAsync(ServiceSettings settings, IReadOnlyList<ServiceDefinition> services)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Kestrel speaks h2c only on an endpoint whose protocols are exactly Http2 (docs/sdk-internals.md).
            kestrel.Listen(IPAddress.Loopback, settings.Http2Port, listen => listen.Protocols = HttpProtocols.Http2);
            if (settings.Http1Port is { } http1Port)
            {
                kestrel.Listen(IPAddress.Loopback, http1Port, listen => listen.Protocols = HttpProtocols.Http1);
            }
        });
        var app = builder.Build();
        var endpoint = RestateEndpoint.CreateBuilder();
        foreach (var service in services)
        {
            endpoint.Bind(service);
        }
        if (settings.IdentityKeys.Count > 0)
        {
            endpoint.WithIdentityKeys(settings.IdentityKeys);
        }
        endpoint.WithLoggerFactory(app.Services.GetRequiredService<ILoggerFactory>());
        app.MapRestate(endpoint.Build());
        await app.StartAsync();
        return new ConformanceHost(app,
            new Uri($"http://127.0.0.1:{settings.Http2Port}/"),
            settings.Http1Port is { } port ? new Uri($"http://127.0.0.1:{port}/") : null);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

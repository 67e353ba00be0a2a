using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Restate.Sdk.AspNetCore;
using Restate.Sdk.Definitions;
using Restate.Sdk.Endpoint;

namespace Restate.Sdk.TestServices;

/// <summary>Hosts the test services on two loopback ports: HTTP/2 (bidi) and HTTP/1.1 (request/response).</summary>
public sealed class TestServicesHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestServicesHost(WebApplication app, int http2Port, int http1Port)
    {
        _app = app;
        Http2Uri = new Uri($"http://127.0.0.1:{http2Port}/");
        Http1Uri = new Uri($"http://127.0.0.1:{http1Port}/");
    }

    public Uri Http2Uri { get; }

    public Uri Http1Uri { get; }

    /// <summary>Starts the host.</summary>
    /// <param name="log">Where the services record their side effects.</param>
    /// <param name="http2Port">The HTTP/2 (h2c) port; 0 for a free one.</param>
    /// <param name="http1Port">The HTTP/1.1 port; 0 for a free one.</param>
    /// <param name="identityKeys">Request-identity keys the endpoint requires, if any.</param>
    /// <param name="handlerLogs">Receives handler logs (ctx.Logger) at Information through the app's logging.</param>
    /// <param name="services">The services to bind instead of <see cref="TestServiceCatalog.All"/>.</param>
    /// <param name="configure">More endpoint settings (protocol mode, logger factory).</param>
    /// <param name="prefix">The deployment prefix <c>MapRestate</c> serves under.</param>
    public static async Task<TestServicesHost> StartAsync(SideEffectLog log, int http2Port = 0, int http1Port = 0,
        IReadOnlyList<string>? identityKeys = null, ILoggerProvider? handlerLogs = null,
        IReadOnlyList<ServiceDefinition>? services = null, Action<RestateEndpointBuilder>? configure = null, string prefix = "")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (handlerLogs is not null)
        {
            // Handler logs (ctx.Logger) at Information go to the test's sink.
            builder.Logging.AddProvider(handlerLogs);
            builder.Logging.AddFilter("Restate.Handler", LogLevel.Information);
        }
        // Port 0 is bound by Kestrel itself (no probe-then-bind race with parallel tests); Kestrel writes the port it got
        // back into the listen options.
        ListenOptions? http2 = null, http1 = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, http2Port, listen => (http2 = listen).Protocols = HttpProtocols.Http2);
            kestrel.Listen(IPAddress.Loopback, http1Port, listen => (http1 = listen).Protocols = HttpProtocols.Http1);
        });
        var app = builder.Build();
        // Values that handler code passes without a serde find theirs in the test JSON context.
        var endpoint = RestateEndpoint.CreateBuilder()
            .WithJsonContext(TestJson.Default)
            .WithInterceptor(new RecordingInterceptor(log))
            .MapExceptionToTerminal<FormatException>(e => new TerminalException($"bad format: {e.Message}", 422));
        foreach (var service in services ?? TestServiceCatalog.All(log))
        {
            endpoint.Bind(service);
        }
        if (identityKeys is { Count: > 0 })
        {
            endpoint.WithIdentityKeys(identityKeys);
        }
        configure?.Invoke(endpoint);
        // No WithLoggerFactory: MapRestate logs to the app's ILoggerFactory by itself.
        app.MapRestate(endpoint.Build(), prefix);
        await app.StartAsync();
        return new TestServicesHost(app, http2!.IPEndPoint!.Port, http1!.IPEndPoint!.Port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

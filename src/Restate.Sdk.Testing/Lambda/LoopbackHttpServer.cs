using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Restate.Sdk.Testing.Lambda;

/// <summary>
/// A bare Kestrel server (no host, no configuration, no logging) on 127.0.0.1 that hands every request to one
/// delegate. Cheap enough to start one per function instance.
/// </summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(2);

    private readonly KestrelServer _server;
    private int _disposed;

    private LoopbackHttpServer(KestrelServer server, int port)
    {
        _server = server;
        Port = port;
    }

    public int Port { get; }

    /// <summary>
    /// Starts listening on <paramref name="port"/> (0: a free port chosen by the kernel) for HTTP/1.1, or for the
    /// given <paramref name="protocols"/>.
    /// </summary>
    public static async Task<LoopbackHttpServer> StartAsync(
        int port, RequestDelegate handler, CancellationToken ct, HttpProtocols protocols = HttpProtocols.Http1)
    {
        var options = new KestrelServerOptions { AddServerHeader = false };
        options.Listen(IPAddress.Loopback, port, listen => listen.Protocols = protocols);
        var transport = new SocketTransportFactory(
            Options.Create(new SocketTransportOptions()), NullLoggerFactory.Instance);
        var server = new KestrelServer(Options.Create(options), transport, NullLoggerFactory.Instance);
        try
        {
            await server.StartAsync(new Application(handler), ct).ConfigureAwait(false);
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                ?? throw new InvalidOperationException("Kestrel reported no listening address.");
            return new LoopbackHttpServer(server, new Uri(address).Port);
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Stops accepting, gives running requests 2 seconds, then aborts them.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(StopTimeout);
        try
        {
            await _server.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        finally
        {
            _server.Dispose();
        }
    }

    private sealed class Application(RequestDelegate handler) : IHttpApplication<HttpContext>
    {
        public HttpContext CreateContext(IFeatureCollection contextFeatures) => new DefaultHttpContext(contextFeatures);

        public Task ProcessRequestAsync(HttpContext context) => handler(context);

        public void DisposeContext(HttpContext context, Exception? exception)
        {
        }
    }
}

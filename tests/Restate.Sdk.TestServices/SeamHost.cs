using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Restate.Sdk.Endpoint;

namespace Restate.Sdk.TestServices;

/// <summary>
/// Hosts an endpoint the way a third party would on a server the SDK knows nothing about: only the public seam
/// (<see cref="RestateEndpoint.HandleAsync"/>), with the body as plain streams, and no <c>MapRestate</c>. This project
/// sees no SDK internals, so the compiler proves the seam is enough. Kestrel serves HTTP/2 (bidi) and HTTP/1.1
/// (request/response) on two loopback ports.
/// </summary>
public sealed class SeamHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SeamHost(WebApplication app, int http2Port, int http1Port)
    {
        _app = app;
        Http2Uri = new Uri($"http://127.0.0.1:{http2Port}/");
        Http1Uri = new Uri($"http://127.0.0.1:{http1Port}/");
    }

    public Uri Http2Uri { get; }

    public Uri Http1Uri { get; }

    /// <summary>Serves <paramref name="endpoint"/> on two free loopback ports.</summary>
    public static async Task<SeamHost> StartAsync(RestateEndpoint endpoint)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        ListenOptions? http2 = null, http1 = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => (http2 = listen).Protocols = HttpProtocols.Http2);
            kestrel.Listen(IPAddress.Loopback, 0, listen => (http1 = listen).Protocols = HttpProtocols.Http1);
        });
        var app = builder.Build();
        app.Run(context => ServeAsync(endpoint, context));
        await app.StartAsync();
        return new SeamHost(app, http2!.IPEndPoint!.Port, http1!.IPEndPoint!.Port);
    }

    private static async Task ServeAsync(RestateEndpoint endpoint, HttpContext context)
    {
        var headers = context.Request.Headers;
        var mode = HttpProtocol.IsHttp2(context.Request.Protocol) ? ProtocolMode.BidiStream : ProtocolMode.RequestResponse;
        var request = new EndpointRequest(context.Request.Method, context.Request.Path.Value ?? "/",
            name => headers.TryGetValue(name, out var value) ? value.ToString() : null, mode);
        var input = PipeReader.Create(context.Request.Body, new StreamPipeReaderOptions(leaveOpen: true));
        var output = new StreamResponse(context.Response);
        await endpoint.HandleAsync(request, input, output, context.RequestAborted);
        await input.CompleteAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class StreamResponse(HttpResponse response) : IEndpointResponse
    {
        public PipeWriter Body { get; } = PipeWriter.Create(response.Body, new StreamPipeWriterOptions(leaveOpen: true));

        public void Start(int statusCode, string contentType)
        {
            response.StatusCode = statusCode;
            response.ContentType = contentType;
            response.Headers["x-restate-server"] = RestateEndpoint.ServerHeaderValue;
        }
    }
}

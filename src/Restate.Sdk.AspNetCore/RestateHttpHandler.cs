using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Restate.Sdk.Endpoint;
using Restate.Sdk.Internal;

namespace Restate.Sdk.AspNetCore;

/// <summary>Moves bytes between Kestrel and the endpoint core; all protocol logic lives in <see cref="RestateEndpoint"/>.</summary>
internal sealed class RestateHttpHandler(RestateEndpoint endpoint)
{
    // After our last frame the runtime closes its side; waiting for that keeps HTTP/2 streams from being reset.
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        // HTTP/2 can stream both ways unless the endpoint forces request/response (proxies that cannot); HTTP/1.1 cannot.
        var mode = endpoint.ModeFor(HttpProtocol.IsHttp2(request.Protocol) ? ProtocolMode.BidiStream : ProtocolMode.RequestResponse);
        var headers = request.Headers;
        var result = endpoint.Handle(new EndpointRequest(request.Method, request.Path.Value ?? "/",
            name => headers.TryGetValue(name, out var value) ? value.ToString() : null, mode)
        {
            AllHeaders = () => headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
        });
        response.Headers["x-restate-server"] = RestateEndpoint.ServerHeaderValue;
        switch (result)
        {
            case EndpointResult.Reply reply:
                response.StatusCode = reply.Status;
                response.ContentType = reply.ContentType;
                if (!HttpMethods.IsHead(request.Method))
                {
                    await response.Body.WriteAsync(reply.Body, context.RequestAborted);
                }
                break;
            case EndpointResult.Invocation invocation:
                await InvokeAsync(context, invocation.Core, invocation.ContentType, mode);
                break;
        }
    }

    private static async Task InvokeAsync(HttpContext context, InvocationCore core, string contentType, ProtocolMode mode)
    {
        // Invocations stream for as long as the handler runs and carry whole journals: no rate or size limits.
        if (context.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } minRequestRate)
        {
            minRequestRate.MinDataRate = null;
        }
        if (context.Features.Get<IHttpMinResponseDataRateFeature>() is { } minResponseRate)
        {
            minResponseRate.MinDataRate = null;
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } maxBody)
        {
            maxBody.MaxRequestBodySize = null;
        }
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        if (mode == ProtocolMode.BidiStream)
        {
            await response.StartAsync(context.RequestAborted);
        }

        using var abort = context.RequestAborted.Register(() => core.Abort("The connection to the Restate server was closed."));
        var input = PumpInputAsync(core, context.Request.BodyReader, context.RequestAborted);
        await PumpOutputAsync(core, response.BodyWriter, context.RequestAborted);
        try
        {
            await input.WaitAsync(DrainTimeout, context.RequestAborted);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException or IOException)
        {
            // The runtime did not close its side in time or dropped the connection: the attempt is over either way.
        }
    }

    private static async Task PumpInputAsync(InvocationCore core, PipeReader reader, CancellationToken cancellation)
    {
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(cancellation);
                if (!read.Buffer.IsEmpty)
                {
                    core.NotifyInput(read.Buffer.ToArray());
                }
                reader.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or BadHttpRequestException)
        {
            core.Abort($"Reading the request body failed: {e.Message}");
            return;
        }
        core.NotifyInputClosed();
    }

    private static async Task PumpOutputAsync(InvocationCore core, PipeWriter writer, CancellationToken cancellation)
    {
        try
        {
            await foreach (var chunk in core.Output.ReadAllAsync(cancellation))
            {
                await writer.WriteAsync(chunk, cancellation);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            core.Abort($"Writing the response failed: {e.Message}");
        }
    }
}

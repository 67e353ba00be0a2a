using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Restate.Sdk.Endpoint;

namespace Restate.Sdk.AspNetCore;

/// <summary>
/// Moves bytes between Kestrel and <see cref="RestateEndpoint.HandleAsync"/>; all protocol logic lives in the endpoint.
/// </summary>
internal sealed class RestateHttpHandler(RestateEndpoint endpoint)
{
    public Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsPost(request.Method))
        {
            LiftLimits(context);
        }
        var headers = request.Headers;
        // HTTP/2 can stream both ways (the endpoint may still force request/response); HTTP/1.1 cannot.
        var mode = HttpProtocol.IsHttp2(request.Protocol) ? ProtocolMode.BidiStream : ProtocolMode.RequestResponse;
        var endpointRequest = new EndpointRequest(request.Method, request.Path.Value ?? "/",
            name => headers.TryGetValue(name, out var value) ? value.ToString() : null, mode)
        {
            AllHeaders = () => headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
        };
        return endpoint.HandleAsync(endpointRequest, request.BodyReader, new Response(context.Response), context.RequestAborted);
    }

    /// <summary>Invocations stream for as long as the handler runs and carry whole journals: no rate or size limits.</summary>
    private static void LiftLimits(HttpContext context)
    {
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
    }

    private sealed class Response(HttpResponse response) : IEndpointResponse
    {
        public PipeWriter Body => response.BodyWriter;

        public void Start(int statusCode, string contentType)
        {
            response.StatusCode = statusCode;
            response.ContentType = contentType;
            response.Headers["x-restate-server"] = RestateEndpoint.ServerHeaderValue;
        }
    }
}

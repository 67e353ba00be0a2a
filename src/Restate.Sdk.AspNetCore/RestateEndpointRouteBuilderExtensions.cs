using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Restate.Sdk.Endpoint;

namespace Restate.Sdk.AspNetCore;

/// <summary>Maps a <see cref="RestateEndpoint"/> into an ASP.NET Core application.</summary>
public static class RestateEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves Restate's discovery (<c>GET {prefix}/discover</c>), invocations
    /// (<c>POST {prefix}/invoke/{service}/{handler}</c>) and a health check for load balancers (<c>GET {prefix}/health</c>,
    /// 200 without request-identity verification). Over HTTP/2 the deployment announces bidirectional streaming (unless
    /// the endpoint was built with <see cref="RestateEndpointBuilder.WithProtocolMode"/> request/response); over
    /// HTTP/1.1 request/response. An endpoint built without <see cref="RestateEndpointBuilder.WithLoggerFactory"/> logs
    /// (<see cref="Context.Logger"/>, the SDK's retry warnings) to the app's <see cref="ILoggerFactory"/>.
    /// </summary>
    /// <param name="endpoints">The route builder (the <c>WebApplication</c>).</param>
    /// <param name="endpoint">The services to serve.</param>
    /// <param name="prefix">A path prefix the deployment is registered under, e.g. <c>/restate</c>; empty for the root.</param>
    /// <remarks>
    /// <c>restate deployments register http://host:port</c> speaks HTTP/2 without TLS (prior knowledge), which Kestrel
    /// only accepts on an endpoint configured for <c>HttpProtocols.Http2</c>; register with <c>--use-http1.1</c> to
    /// use an HTTP/1.1 endpoint instead.
    /// </remarks>
    public static IEndpointConventionBuilder MapRestate(this IEndpointRouteBuilder endpoints, RestateEndpoint endpoint, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoints.ServiceProvider.GetService<ILoggerFactory>() is { } loggerFactory)
        {
            endpoint = endpoint.WithDefaultLoggerFactory(loggerFactory);
        }
        var handler = new RestateHttpHandler(endpoint);
        return endpoints.Map($"{prefix.TrimEnd('/')}/{{**restatePath}}", handler.HandleAsync)
            .WithDisplayName("Restate endpoint");
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Restate.Sdk.DependencyInjection;
using Restate.Sdk.Endpoint;

namespace Restate.Sdk.AspNetCore;

/// <summary>Maps a <see cref="RestateEndpoint"/> into an ASP.NET Core application.</summary>
public static class RestateEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves the services registered with <c>builder.Services.AddRestate(...)</c>: builds their endpoint (the container's
    /// <see cref="RestateEndpoint"/>) now, so that invalid settings (<see cref="RestateOptions"/>), a registration without
    /// services or a service name registered twice fail at startup, and maps it like
    /// <see cref="MapRestate(IEndpointRouteBuilder, RestateEndpoint, string)"/>: discovery, invocations and
    /// <c>GET {prefix}/health</c>. Each invocation attempt runs in a dependency-injection scope of its own.
    /// </summary>
    /// <param name="endpoints">The route builder (the <c>WebApplication</c>).</param>
    /// <param name="prefix">A path prefix the deployment is registered under, e.g. <c>/restate</c>; empty for the root.</param>
    /// <exception cref="InvalidOperationException">
    /// <c>AddRestate</c> was not called, or its registrations or settings are invalid (the message says which).
    /// </exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A <see cref="RestateOptions"/> value set in code is invalid.</exception>
    public static IEndpointConventionBuilder MapRestate(this IEndpointRouteBuilder endpoints, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        var endpoint = endpoints.ServiceProvider.GetService<RestateEndpoint>() ?? throw new InvalidOperationException(
            "MapRestate() serves the services registered with builder.Services.AddRestate(...), but AddRestate was not called: " +
            "register them before builder.Build(), e.g. builder.Services.AddRestate(restate => restate.AddService<MyService>()), " +
            "or pass an endpoint built by hand to MapRestate(endpoint).");
        return endpoints.MapRestate(endpoint, prefix);
    }

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

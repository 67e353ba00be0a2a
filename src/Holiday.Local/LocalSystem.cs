using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Restate.Sdk.AspNetCore;
using Restate.Sdk.Endpoint;
using Restate.Sdk.Testing;

namespace Holiday.Local;

/// <summary>
/// Everything the local run starts: restate-server, the services endpoint (HTTP/2 on loopback) and the deployment
/// registration. Disposing stops exactly what was started.
/// </summary>
internal sealed class LocalSystem : IAsyncDisposable
{
    private readonly RestateServer _server;
    private readonly WebApplication _services;

    private LocalSystem(RestateServer server, WebApplication services, Uri servicesUri)
    {
        _server = server;
        _services = services;
        ServicesUri = servicesUri;
    }

    public Uri IngressUri => _server.IngressUri;

    public Uri AdminUri => _server.AdminUri;

    public Uri ServicesUri { get; }

    public static async Task<LocalSystem> StartAsync(LocalRunOptions options, Action<string> log, CancellationToken cancellation)
    {
        EnsurePortFree(options.ServicePort, "service");
        log("Starting restate-server…");
        var server = await RestateServer.StartAsync(new RestateServerOptions
        {
            IngressPort = options.IngressPort,
            AdminPort = options.AdminPort,
        }, cancellation);
        WebApplication? services = null;
        try
        {
            log("Starting the services…");
            services = BuildServices(options.ServicePort);
            await services.StartAsync(cancellation);
            var servicesUri = new Uri($"http://127.0.0.1:{options.ServicePort}/");
            log($"Registering {servicesUri} with restate-server…");
            await server.RegisterDeploymentAsync(servicesUri, ct: cancellation);
            return new LocalSystem(server, services, servicesUri);
        }
        catch
        {
            if (services is not null)
            {
                await services.DisposeAsync();
            }
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The lines a user pastes to try the system.</summary>
    public IEnumerable<string> CurlLines()
    {
        var ingress = IngressUri.ToString().TrimEnd('/');
        yield return $"curl {ingress}/Greeter/greet --json '\"Ada\"'";
        yield return $"curl {ingress}/Counter/ada/add --json '5'";
        yield return $"curl {ingress}/Counter/ada/get -X POST";
        yield return $"curl {ingress}/Greeter/greet -H 'idempotency-key: my-key' --json '\"Ada\"'   # twice: one invocation, same answer";
        yield return $"curl {ingress}/Greeter/greet/send --json '\"Ada\"'   # answers {{\"invocationId\":\"inv_…\"}}";
        yield return $"curl {ingress}/restate/invocation/<invocationId>/attach";
    }

    public async ValueTask DisposeAsync()
    {
        await _services.StopAsync();
        await _services.DisposeAsync();
        await _server.DisposeAsync();
    }

    private static WebApplication BuildServices(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        var endpoint = RestateEndpoint.CreateBuilder();
        foreach (var service in SampleServices.All())
        {
            endpoint.Bind(service);
        }
        app.MapRestate(endpoint.Build());
        return app;
    }

    private static void EnsurePortFree(int port, string role)
    {
        try
        {
            using var probe = new TcpListener(IPAddress.Loopback, port);
            probe.Start();
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new InvalidOperationException($"The {role} port {port} is already in use on 127.0.0.1; stop what uses it or pass --{role}-port.", e);
        }
    }
}

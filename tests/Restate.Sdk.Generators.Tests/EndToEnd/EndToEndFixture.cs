using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Restate.Sdk.AspNetCore;
using Restate.Sdk.Endpoint;
using Restate.Sdk.Testing;

namespace Restate.Sdk.Generators.Tests.EndToEnd;

/// <summary>A real restate-server and an in-process HTTP/2 endpoint serving the generated definitions, registered with it.</summary>
public sealed class EndToEndFixture : IAsyncLifetime
{
    private WebApplication? _app;

    public RestateServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await RestateServer.StartAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        _app = builder.Build();
        _app.MapRestate(RestateEndpoint.CreateBuilder()
            .Bind(Bank.Definition(() => new Bank("c0de")))
            .Bind(Accounts.Definition())
            .Bind(SignupFlow.Definition())
            .Bind(Nullables.Definition())
            .Bind(Webhooks.Definition())
            .Build());
        await _app.StartAsync();
        await Server.RegisterDeploymentAsync(new Uri(_app.Urls.Single()));
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        await Server.DisposeAsync();
    }
}

using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Holiday.Registrar.Tests;

/// <summary>
/// An admin API that is healthy but answers every other request with a fixed status and body, for the answers the
/// real restate-server cannot be brought to give in a test (a 409 needs a changed manifest under the same ARN; a 500 on
/// listing deployments).
/// </summary>
internal sealed class FakeAdminApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private FakeAdminApi(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    /// <summary>Requests other than <c>GET /health</c>.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public static async Task<FakeAdminApi> StartAsync(int status, string body)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        FakeAdminApi? fake = null;
        app.MapGet("/health", () => Results.Ok());
        app.Map("/{**path}", () =>
        {
            Interlocked.Increment(ref fake!._requests);
            return Results.Content(body, "application/json", statusCode: status);
        });
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        fake = new FakeAdminApi(app, new Uri(url));
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

using System.Text.Json.Nodes;
using Restate.Sdk.Testing;

namespace Restate.Sdk.Conformance.Tests.Infrastructure;

/// <summary>The runtime under test as one restate-server process with its own data directory and free ports.</summary>
public sealed class SingleNodeRuntime : IRestateRuntime
{
    private readonly RestateServer _server;

    private SingleNodeRuntime(RestateServer server) => _server = server;

    public Uri IngressUri => _server.IngressUri;

    public Uri AdminUri => _server.AdminUri;

    public HttpClient Ingress => _server.Ingress;

    public HttpClient Admin => _server.Admin;

    /// <summary>Starts a restate-server with <paramref name="environment"/> on top of the testing defaults.</summary>
    public static async Task<IRestateRuntime> StartAsync(IReadOnlyDictionary<string, string> environment, CancellationToken ct)
    {
        var server = await RestateServer.StartAsync(new RestateServerOptions { Environment = environment }, ct);
        return new SingleNodeRuntime(server);
    }

    public Task<string> RegisterDeploymentAsync(Uri serviceUri, bool useHttp11, CancellationToken ct = default) =>
        _server.RegisterDeploymentAsync(serviceUri, useHttp11, ct);

    public Task<JsonArray> QueryAsync(string sql, CancellationToken ct = default) => _server.QueryAsync(sql, ct);

    public Task KillAsync() => _server.KillAsync();

    public Task StopAsync() => _server.StopAsync();

    public Task RestartAsync(CancellationToken ct = default) => _server.RestartAsync(ct);

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}

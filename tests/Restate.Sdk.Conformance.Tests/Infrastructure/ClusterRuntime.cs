using System.Text.Json.Nodes;
using Restate.Sdk.Testing;

namespace Restate.Sdk.Conformance.Tests.Infrastructure;

/// <summary>
/// A three-node <see cref="RestateCluster"/> as the runtime under test. Clients go through node 1; "the runtime"
/// that a scenario kills or stops is the last node, so the cluster must carry on and take the node back.
/// </summary>
internal sealed class ClusterRuntime(RestateCluster cluster) : IRestateRuntime
{
    public Uri IngressUri => cluster.IngressUri;

    public Uri AdminUri => cluster.AdminUri;

    public HttpClient Ingress => cluster.Ingress;

    public HttpClient Admin => cluster.Admin;

    private RestateServer Victim => cluster.Nodes[^1];

    public static async Task<IRestateRuntime> StartAsync(IReadOnlyDictionary<string, string> environment, CancellationToken ct) =>
        new ClusterRuntime(await RestateCluster.StartAsync(new RestateClusterOptions { Environment = environment }, ct));

    public Task<string> RegisterDeploymentAsync(Uri serviceUri, bool useHttp11, CancellationToken ct = default) =>
        cluster.RegisterDeploymentAsync(serviceUri, useHttp11, ct);

    public Task<JsonArray> QueryAsync(string sql, CancellationToken ct = default) => cluster.QueryAsync(sql, ct);

    public Task KillAsync() => Victim.KillAsync();

    public Task StopAsync() => Victim.StopAsync();

    public async Task RestartAsync(CancellationToken ct = default)
    {
        await Victim.RestartAsync(ct);
        await cluster.WaitUntilReadyAsync(ct);
    }

    public ValueTask DisposeAsync() => cluster.DisposeAsync();
}

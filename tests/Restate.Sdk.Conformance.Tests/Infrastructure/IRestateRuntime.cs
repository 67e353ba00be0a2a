using System.Text.Json.Nodes;

namespace Restate.Sdk.Conformance.Tests.Infrastructure;

/// <summary>
/// "The runtime under test": one restate-server, or a cluster of them. Scenarios only talk to this, so the same
/// scenario runs unchanged against either.
/// </summary>
public interface IRestateRuntime : IAsyncDisposable
{
    /// <summary>Base address of the ingress that scenarios call.</summary>
    Uri IngressUri { get; }

    /// <summary>Base address of the admin API (deployments, invocations, SQL).</summary>
    Uri AdminUri { get; }

    /// <summary>Client whose base address is <see cref="IngressUri"/>; owned by the runtime.</summary>
    HttpClient Ingress { get; }

    /// <summary>Client whose base address is <see cref="AdminUri"/>; owned by the runtime.</summary>
    HttpClient Admin { get; }

    /// <summary>Registers (force) the service endpoint at <paramref name="serviceUri"/> and returns the deployment id.</summary>
    Task<string> RegisterDeploymentAsync(Uri serviceUri, bool useHttp11, CancellationToken ct = default);

    /// <summary>Runs SQL over the introspection tables; one JSON object per row.</summary>
    Task<JsonArray> QueryAsync(string sql, CancellationToken ct = default);

    /// <summary>SIGKILLs the runtime (single node: the server; cluster: one node), like a crash.</summary>
    Task KillAsync();

    /// <summary>Stops the runtime gracefully (SIGTERM).</summary>
    Task StopAsync();

    /// <summary>Starts again what was killed or stopped, on the same data, and waits until it is healthy.</summary>
    Task RestartAsync(CancellationToken ct = default);
}

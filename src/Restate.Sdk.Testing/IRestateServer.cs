using System.Text.Json.Nodes;

namespace Restate.Sdk.Testing;

/// <summary>
/// A running restate-server the test kit talks to: a process (<see cref="RestateServer"/>) or a container
/// (<see cref="RestateServerContainer"/>).
/// </summary>
public interface IRestateServer : IAsyncDisposable
{
    /// <summary>Base address of the ingress (invocations), as reachable from the test process.</summary>
    Uri IngressUri { get; }

    /// <summary>Base address of the admin API (deployments, SQL queries, health), as reachable from the test process.</summary>
    Uri AdminUri { get; }

    /// <summary>Client whose base address is <see cref="IngressUri"/>; owned and disposed by the server object.</summary>
    HttpClient Ingress { get; }

    /// <summary>Client whose base address is <see cref="AdminUri"/>; owned and disposed by the server object.</summary>
    HttpClient Admin { get; }

    /// <summary>
    /// Registers (or re-registers, with <c>force</c>) the service deployment at <paramref name="serviceUri"/>, an
    /// address of the test process (a container server reaches loopback addresses through a forwarded port).
    /// </summary>
    /// <param name="serviceUri">Where the SDK endpoint listens, e.g. <c>http://127.0.0.1:9080/</c>.</param>
    /// <param name="useHttp11">Let the server talk HTTP/1.1 instead of HTTP/2 (h2c) to the endpoint.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <returns>The deployment id (<c>dp_…</c>).</returns>
    /// <exception cref="InvalidOperationException">The server refused the deployment; the message holds its answer.</exception>
    Task<string> RegisterDeploymentAsync(Uri serviceUri, bool useHttp11 = false, CancellationToken ct = default);

    /// <summary>Runs a SQL query over the server's introspection tables through the admin API <c>POST /query</c>.</summary>
    /// <param name="sql">The query, e.g. <c>select id, status from sys_invocation</c>.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <returns>The rows, one JSON object per row keyed by column name; SQL NULL columns are absent.</returns>
    /// <exception cref="InvalidOperationException">The query failed; the message holds the server's error.</exception>
    Task<JsonArray> QueryAsync(string sql, CancellationToken ct = default);
}

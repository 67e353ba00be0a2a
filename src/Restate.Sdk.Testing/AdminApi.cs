using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Restate.Sdk.Testing;

/// <summary>
/// The calls of restate-server's admin API the test kit makes (register a deployment, run a SQL query), shared by the
/// server process (<see cref="RestateServer"/>) and the container (<see cref="RestateServerContainer"/>).
/// </summary>
/// <param name="admin">A client whose base address is the admin API.</param>
/// <param name="recentLog">The server's recent output, formatted for an error message (empty when there is none).</param>
internal sealed class AdminApi(HttpClient admin, Func<string> recentLog)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan ConnectRetryWindow = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan QueryRetryWindow = TimeSpan.FromSeconds(15);

    public async Task<string> RegisterDeploymentAsync(Uri serviceUri, bool useHttp11, CancellationToken ct)
    {
        var body = JsonObjectBody.Write(writer =>
        {
            writer.WriteString("uri", serviceUri.ToString());
            writer.WriteBoolean("use_http_11", useHttp11);
            writer.WriteBoolean("force", true);
        });
        return DeploymentId(await SendAsync("deployments", body, static (_, _) => false, ct).ConfigureAwait(false),
            $"deployment {serviceUri}");
    }

    public async Task<string> RegisterLambdaAsync(string qualifiedArn, CancellationToken ct)
    {
        var body = JsonObjectBody.Write(writer =>
        {
            writer.WriteString("arn", qualifiedArn);
            writer.WriteBoolean("force", true);
        });
        return DeploymentId(await SendAsync("deployments", body, static (_, _) => false, ct).ConfigureAwait(false),
            $"Lambda deployment {qualifiedArn}");
    }

    public async Task<JsonArray> QueryAsync(string sql, CancellationToken ct)
    {
        var body = JsonObjectBody.Write(writer => writer.WriteString("query", sql));
        // Right after a (re)start the partition processors are not yet running, and while a partition moves between
        // the nodes of a cluster the node asked does not have it: queries over partitioned tables then fail with a
        // Datafusion "External error" for a few hundred milliseconds. Retry those (up to 15 s), nothing else.
        var (status, text) = await SendAsync("query", body, IsTransientQueryFailure, ct).ConfigureAwait(false);
        if (!IsSuccess(status))
        {
            throw new InvalidOperationException($"Query failed: HTTP {(int)status} {status}: {text}\nQuery: {sql}{recentLog()}");
        }
        var root = ParseObject(text);
        if (root?["rows"] is not JsonArray rows)
        {
            throw new InvalidOperationException($"Query response has no 'rows' array: {text}\nQuery: {sql}");
        }
        root.Remove("rows");
        return rows;
    }

    private string DeploymentId((HttpStatusCode Status, string Body) response, string what)
    {
        var (status, text) = response;
        if (!IsSuccess(status))
        {
            throw new InvalidOperationException($"Registering {what} failed: HTTP {(int)status} {status}: {text}{recentLog()}");
        }
        return ParseObject(text)?["id"]?.GetValue<string>()
            ?? throw new InvalidOperationException($"Registering {what} returned no deployment id: {text}{recentLog()}");
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(string path, byte[] body,
        Func<HttpStatusCode, string, bool> isTransient, CancellationToken ct)
    {
        var elapsed = Stopwatch.StartNew();
        var retryWindow = ConnectRetryWindow;
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            try
            {
                using var response = await admin.SendAsync(request, ct).ConfigureAwait(false);
                var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                if (!isTransient(response.StatusCode, text) || elapsed.Elapsed >= QueryRetryWindow)
                {
                    return (response.StatusCode, text);
                }
                retryWindow = QueryRetryWindow;
            }
            catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConnectionError && elapsed.Elapsed < retryWindow)
            {
                // The server is (re)starting: retry briefly.
            }
            await Task.Delay(PollInterval, ct).ConfigureAwait(false);
        }
    }

    // Seen for a few hundred milliseconds after a (re)start, while partition processors are placed:
    // "node lookup for partition 1 failed", "expecting a partition store", "node N1:2 was shut down or removed".
    // Genuine query errors are planning or SQL errors ("Error during planning: table ... not found").
    /// <summary>
    /// A query failure that goes away by itself: restate-server answers 500 with a Datafusion error wrapping an
    /// "External error" (a partition processor not started yet, or a partition being transferred to or from the node,
    /// which the server words as "Internal error: External error: partition N doesn't exist on this node, this is benign…").
    /// Planning errors (an unknown table or column) are not retried.
    /// </summary>
    internal static bool IsTransientQueryFailure(HttpStatusCode status, string body) =>
        status == HttpStatusCode.InternalServerError
        && body.Contains("Datafusion error", StringComparison.Ordinal)
        && body.Contains("External error", StringComparison.Ordinal);

    private static bool IsSuccess(HttpStatusCode status) => (int)status is >= 200 and < 300;

    private static JsonObject? ParseObject(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

}

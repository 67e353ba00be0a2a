using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Restate.Sdk.Testing;

/// <summary>
/// A cluster of real <c>restate-server</c> processes on loopback, every node running every role (ingress, admin,
/// worker, log server, metadata server) with partitions and logs replicated on two nodes, so that any one node can be
/// killed and the cluster keeps serving. Node 1 provisions the cluster; clients talk to it (<see cref="IngressUri"/>,
/// <see cref="AdminUri"/>), so fault tests kill or stop another node (<see cref="Nodes"/>) and then call
/// <see cref="WaitUntilReadyAsync"/> after restarting it.
/// </summary>
/// <remarks>The settings and readiness checks are the ones measured in <c>restate-cluster.md</c>: replication 2
/// (the default of 1 loses partitions with a node), all nodes started at once (so every log gets a three-node
/// nodeset), a one-second gossip suspect interval (the default five seconds dominates start-up), and readiness that
/// waits for the metadata cluster and for a leader on every partition, because <c>/health</c> answers long before the
/// cluster can take writes.</remarks>
public sealed class RestateCluster : IAsyncDisposable
{
    private const int MaxStartAttempts = 3;
    private const string LeadersMetric = "restate_num_active_partition_leaders";
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly RestateClusterOptions _options;
    private readonly HttpClient _probe = new(new SocketsHttpHandler { ConnectTimeout = ProbeTimeout }) { Timeout = ProbeTimeout };

    private RestateCluster(RestateClusterOptions options, IReadOnlyList<RestateServer> nodes)
    {
        _options = options;
        Nodes = nodes;
    }

    /// <summary>The nodes, node 1 first. Node 1 provisioned the cluster and serves <see cref="Ingress"/> and <see cref="Admin"/>.</summary>
    public IReadOnlyList<RestateServer> Nodes { get; }

    /// <summary>Node 1's ingress.</summary>
    public Uri IngressUri => Nodes[0].IngressUri;

    /// <summary>Node 1's admin API.</summary>
    public Uri AdminUri => Nodes[0].AdminUri;

    /// <summary>A client of node 1's ingress; owned by the node.</summary>
    public HttpClient Ingress => Nodes[0].Ingress;

    /// <summary>A client of node 1's admin API; owned by the node.</summary>
    public HttpClient Admin => Nodes[0].Admin;

    /// <summary>
    /// Starts all nodes at once on free loopback ports, each with its own data directory, and waits until the
    /// cluster is ready (see <see cref="WaitUntilReadyAsync"/>).
    /// </summary>
    /// <param name="options">Settings; null means three nodes and four partitions.</param>
    /// <param name="ct">Cancels the start; every node is then stopped and its data deleted.</param>
    /// <returns>The running cluster.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than three nodes, or fewer than one partition.</exception>
    /// <exception cref="InvalidOperationException">A node exited during start-up (the message holds its output).</exception>
    /// <exception cref="TimeoutException">The cluster was not ready within <see cref="RestateClusterOptions.StartupTimeout"/>.</exception>
    public static async Task<RestateCluster> StartAsync(RestateClusterOptions? options = null, CancellationToken ct = default)
    {
        options ??= new RestateClusterOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.NodeCount, 3, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Partitions, 1, nameof(options));
        var serverOptions = new RestateServerOptions
        {
            BinaryPath = options.BinaryPath,
            RepositoryRoot = options.RepositoryRoot,
            StartupTimeout = options.StartupTimeout,
        };
        var binary = await ServerBinary.ResolveAsync(serverOptions, ct).ConfigureAwait(false);

        for (var attempt = 1; ; attempt++)
        {
            var cluster = Create(options, serverOptions, binary);
            try
            {
                await Task.WhenAll(cluster.Nodes.Select(node => node.StartNodeAsync(ct))).ConfigureAwait(false);
                await cluster.WaitUntilReadyAsync(ct).ConfigureAwait(false);
                return cluster;
            }
            catch (InvalidOperationException) when (cluster.Nodes.Any(node => node.AddressInUse) && attempt < MaxStartAttempts)
            {
                // Another process took a port between allocation and bind: start the whole cluster on fresh ports.
                await cluster.DisposeAsync().ConfigureAwait(false);
            }
            catch
            {
                await cluster.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>
    /// Waits until every node's metadata server is a member of the metadata cluster and every partition has a leader
    /// (the sum of <c>restate_num_active_partition_leaders</c> over the nodes' <c>/metrics</c>). Call it after
    /// restarting a node; while a node is down it returns once the survivors lead every partition.
    /// </summary>
    /// <param name="ct">Cancels the wait.</param>
    /// <returns>A task that completes when the cluster can take writes.</returns>
    /// <exception cref="TimeoutException">Not ready within <see cref="RestateClusterOptions.StartupTimeout"/>; the message says which check failed.</exception>
    public async Task WaitUntilReadyAsync(CancellationToken ct = default)
    {
        var elapsed = Stopwatch.StartNew();
        int members = 0, leaders = 0;
        while (true)
        {
            members = await CountMetadataMembersAsync(ct).ConfigureAwait(false);
            leaders = members >= Nodes.Count ? await CountPartitionLeadersAsync(ct).ConfigureAwait(false) : 0;
            if (members >= Nodes.Count && leaders == _options.Partitions)
            {
                return;
            }
            if (elapsed.Elapsed > _options.StartupTimeout)
            {
                throw new TimeoutException(
                    $"The restate cluster was not ready within {_options.StartupTimeout}: {members} of {Nodes.Count} metadata members, " +
                    $"{leaders} of {_options.Partitions} partitions with a leader.{Nodes[0].FormatRecentLog()}");
            }
            await Task.Delay(PollInterval, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Registers the deployment through node 1 (see <see cref="RestateServer.RegisterDeploymentAsync"/>) and waits
    /// until every running node knows it, so a call through any node finds the services.
    /// </summary>
    /// <param name="serviceUri">Where the SDK endpoint listens.</param>
    /// <param name="useHttp11">Let the server talk HTTP/1.1 to the endpoint.</param>
    /// <param name="ct">Cancels the registration.</param>
    /// <returns>The deployment id.</returns>
    /// <exception cref="InvalidOperationException">Registration failed (see <see cref="RestateServer.RegisterDeploymentAsync"/>).</exception>
    /// <exception cref="TimeoutException">A node did not learn the deployment within the startup timeout.</exception>
    public async Task<string> RegisterDeploymentAsync(Uri serviceUri, bool useHttp11 = false, CancellationToken ct = default)
    {
        var id = await Nodes[0].RegisterDeploymentAsync(serviceUri, useHttp11, ct).ConfigureAwait(false);
        var elapsed = Stopwatch.StartNew();
        foreach (var node in Nodes.Skip(1))
        {
            // Schemas reach the other nodes through metadata within tens of milliseconds.
            while (!await IsOkAsync(new Uri(node.AdminUri, "deployments/" + id), ct).ConfigureAwait(false))
            {
                if (elapsed.Elapsed > _options.StartupTimeout)
                {
                    throw new TimeoutException($"Node {node.AdminUri} did not learn deployment {id} within {_options.StartupTimeout}.");
                }
                await Task.Delay(PollInterval, ct).ConfigureAwait(false);
            }
        }
        return id;
    }

    /// <summary>Runs SQL through node 1 (see <see cref="RestateServer.QueryAsync"/>). It fails while any node is down.</summary>
    /// <param name="sql">The query.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <returns>The rows.</returns>
    public Task<JsonArray> QueryAsync(string sql, CancellationToken ct = default) => Nodes[0].QueryAsync(sql, ct);

    /// <summary>Stops every node at once and deletes their data.</summary>
    /// <returns>A task that completes when all nodes have exited.</returns>
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(Nodes.Select(node => node.DisposeAsync().AsTask())).ConfigureAwait(false);
        _probe.Dispose();
    }

    private static RestateCluster Create(RestateClusterOptions options, RestateServerOptions serverOptions, string binary)
    {
        var ports = RestateServer.AllocatePorts(3 * options.NodeCount);
        var fabric = Enumerable.Range(0, options.NodeCount).Select(i => ports[3 * i]).ToArray();
        var metadataAddresses = "[" + string.Join(",", fabric.Select(port => $"\"http://127.0.0.1:{port}\"")) + "]";
        var clusterName = "test-" + Guid.NewGuid().ToString("N")[..12];
        var nodes = new List<RestateServer>();
        for (var i = 0; i < options.NodeCount; i++)
        {
            var number = i + 1;
            var environment = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["RESTATE_NODE_NAME"] = "n" + number.ToString(CultureInfo.InvariantCulture),
                ["RESTATE_FORCE_NODE_ID"] = number.ToString(CultureInfo.InvariantCulture),
                ["RESTATE_CLUSTER_NAME"] = clusterName,
                ["RESTATE_AUTO_PROVISION"] = number == 1 ? "true" : "false",
                ["RESTATE_DEFAULT_REPLICATION"] = "2",
                ["RESTATE_METADATA_CLIENT__ADDRESSES"] = metadataAddresses,
                ["RESTATE_DEFAULT_NUM_PARTITIONS"] = options.Partitions.ToString(CultureInfo.InvariantCulture),
                ["RESTATE_GOSSIP_SUSPECT_INTERVAL"] = "1s",
            };
            foreach (var (key, value) in options.Environment)
            {
                environment[key] = value;
            }
            var prefix = $"[n{number}] ";
            nodes.Add(RestateServer.CreateNode(serverOptions with
            {
                Environment = environment,
                Log = options.Log is { } log ? line => log(prefix + line) : null,
            }, binary, [ports[3 * i], ports[3 * i + 1], ports[3 * i + 2]]));
        }
        return new RestateCluster(options, nodes);
    }

    private async Task<int> CountMetadataMembersAsync(CancellationToken ct)
    {
        var text = await TryGetAsync(new Uri(Nodes[0].AdminUri, "cluster-health"), ct).ConfigureAwait(false);
        try
        {
            return text is not null && JsonNode.Parse(text)?["metadata_cluster_health"]?["members"] is JsonArray members
                ? members.Count
                : 0;
        }
        catch (JsonException)
        {
            return 0;
        }
    }

    private async Task<int> CountPartitionLeadersAsync(CancellationToken ct)
    {
        var total = 0;
        foreach (var node in Nodes)
        {
            var text = await TryGetAsync(new Uri(node.FabricUri, "metrics"), ct).ConfigureAwait(false);
            total += text is null ? 0 : ReadGauge(text, LeadersMetric);
        }
        return total;
    }

    /// <summary>The value of an unlabelled Prometheus gauge, e.g. <c>restate_num_active_partition_leaders 2</c>.</summary>
    internal static int ReadGauge(string metrics, string name)
    {
        foreach (var line in metrics.Split('\n'))
        {
            if (line.StartsWith(name, StringComparison.Ordinal) && line.Length > name.Length && line[name.Length] is ' ' or '{')
            {
                var value = line[(line.LastIndexOf(' ') + 1)..].Trim();
                return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? (int)number : 0;
            }
        }
        return 0;
    }

    private async Task<bool> IsOkAsync(Uri uri, CancellationToken ct) => await TryGetAsync(uri, ct).ConfigureAwait(false) is not null;

    private async Task<string?> TryGetAsync(Uri uri, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            using var response = await _probe.GetAsync(uri, timeout.Token).ConfigureAwait(false);
            return response.StatusCode == HttpStatusCode.OK
                ? await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false)
                : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return null; // A node that is down or still starting does not answer in time.
        }
    }
}

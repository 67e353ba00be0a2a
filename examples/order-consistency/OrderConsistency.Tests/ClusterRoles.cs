using System.Globalization;
using Restate.Sdk.Testing;

namespace OrderConsistency.Tests;

/// <summary>
/// Who leads what in a cluster, from each node's Prometheus <c>/metrics</c> (served on the fabric port):
/// <c>restate_num_active_partition_leaders</c> is how many partitions the node leads, and
/// <c>restate_metadata_server_replicated_leader_id</c> is the node id of the metadata store's Raft leader, as that node
/// sees it. Metrics keep answering while SQL does not (a node down makes
/// <c>/query</c> fail).
/// </summary>
/// <param name="PartitionsLed">Partitions each node leads, node 1 first; 0 for a node that did not answer.</param>
/// <param name="MetadataLeader">Index of the metadata leader in <see cref="RestateCluster.Nodes"/>, or -1 if unknown.</param>
public sealed record ClusterRoles(IReadOnlyList<int> PartitionsLed, int MetadataLeader)
{
    /// <summary>The node that leads the most partitions (the first of them on a tie).</summary>
    public int PartitionLeader => PartitionsLed.Select((count, index) => (count, index)).MaxBy(node => node.count).index;

    /// <summary>Reads the roles from every node's metrics.</summary>
    public static async Task<ClusterRoles> ReadAsync(RestateCluster cluster, HttpClient http, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(http);
        var led = new List<int>();
        var metadataLeader = -1;
        foreach (var node in cluster.Nodes)
        {
            string metrics;
            try
            {
                metrics = await http.GetStringAsync(new Uri(node.FabricUri, "metrics"), ct);
            }
            catch (HttpRequestException)
            {
                led.Add(0);
                continue;
            }
            led.Add((int)(Gauge(metrics, "restate_num_active_partition_leaders") ?? 0));
            if (Gauge(metrics, "restate_metadata_server_replicated_leader_id") is { } leaderId and >= 1)
            {
                metadataLeader = (int)leaderId - 1; // RESTATE_FORCE_NODE_ID gives node i the id i + 1.
            }
        }
        return new ClusterRoles(led, metadataLeader);
    }

    /// <summary>The value of a gauge line <c>name{labels} value</c> or <c>name value</c>; null if absent.</summary>
    internal static double? Gauge(string metrics, string name)
    {
        foreach (var line in metrics.Split('\n'))
        {
            if (line.StartsWith(name, StringComparison.Ordinal) && line.Length > name.Length && line[name.Length] is ' ' or '{'
                && double.TryParse(line[(line.LastIndexOf(' ') + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }
        }
        return null;
    }
}

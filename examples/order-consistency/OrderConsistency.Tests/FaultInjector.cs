using System.Diagnostics;
using Restate.Sdk.Testing;

namespace OrderConsistency.Tests;

/// <summary>One node crash: which node, what it led when it was killed, and how long until the cluster was whole again.</summary>
public sealed record Fault(int Node, string Role, int PartitionsLed, bool MetadataLeader, TimeSpan Recovery)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"n{Node + 1} ({Role}: led {PartitionsLed} partitions{(MetadataLeader ? ", metadata leader" : "")}), whole again after {Recovery.TotalSeconds:0.0} s";
}

/// <summary>
/// Kills cluster nodes with SIGKILL, one at a time, while clients run: in turn the node leading the most partitions,
/// the metadata leader, and the node leading the fewest partitions among the others. Each victim stays down for a while, is restarted on its data,
/// and the next fault waits until every partition has a leader again, so the cluster never loses two nodes at once.
/// </summary>
public sealed class FaultInjector(RestateCluster cluster, TimeSpan pause, TimeSpan downtime, Action<string> log)
{
    /// <summary>The faults injected so far.</summary>
    public List<Fault> Faults { get; } = [];

    /// <summary>Injects <paramref name="count"/> faults, <see cref="FaultInjector"/>'s pause apart.</summary>
    public async Task RunAsync(int count, CancellationToken ct)
    {
        using var metrics = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < count; i++)
        {
            await Task.Delay(pause, ct);
            var roles = await ClusterRoles.ReadAsync(cluster, metrics, ct);
            var (victim, role) = (i % 3) switch
            {
                0 => (roles.PartitionLeader, "partition leader"),
                1 when roles.MetadataLeader >= 0 => (roles.MetadataLeader, "metadata leader"),
                _ => (roles.PartitionsLed.Select((led, index) => (led, index)).Where(node => node.index != roles.MetadataLeader)
                    .MinBy(node => node.led).index, "follower"),
            };
            var node = cluster.Nodes[victim];
            log($"fault {i + 1}: kill -9 n{victim + 1} (pid {node.ProcessId}); partitions led per node [{string.Join(", ", roles.PartitionsLed)}], metadata leader n{roles.MetadataLeader + 1}");
            var elapsed = Stopwatch.StartNew();
            await node.KillAsync();
            await Task.Delay(downtime, ct);
            await node.RestartAsync(ct);
            await cluster.WaitUntilReadyAsync(ct);
            var fault = new Fault(victim, role, roles.PartitionsLed[victim], roles.MetadataLeader == victim, elapsed.Elapsed);
            Faults.Add(fault);
            log($"fault {i + 1}: {fault}");
        }
    }
}

namespace Restate.Sdk.Testing;

/// <summary>Settings for <see cref="RestateCluster.StartAsync(RestateClusterOptions?, CancellationToken)"/>.</summary>
public sealed record RestateClusterOptions
{
    /// <summary>How many nodes; at least 3, so that one can fail with replication 2. Defaults to 3.</summary>
    public int NodeCount { get; init; } = 3;

    /// <summary>Number of partitions (<c>RESTATE_DEFAULT_NUM_PARTITIONS</c>); 4 as in Restate's three-node conformance suite.</summary>
    public int Partitions { get; init; } = 4;

    /// <summary>Extra <c>RESTATE_*</c> variables for every node; they override the cluster's own settings.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>How long each node may take to become healthy, and the cluster to become ready. Defaults to 60 seconds.</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Receives every line the nodes write, prefixed with <c>[n1]</c>, <c>[n2]</c>, …</summary>
    public Action<string>? Log { get; init; }

    /// <summary>The <c>restate-server</c> binary; see <see cref="RestateServerOptions.BinaryPath"/>.</summary>
    public string? BinaryPath { get; init; }

    /// <summary>Folder holding the <c>package.json</c> that pins restate-server; see <see cref="RestateServerOptions.RepositoryRoot"/>.</summary>
    public string? RepositoryRoot { get; init; }
}

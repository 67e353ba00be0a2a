namespace Restate.Sdk.Testing;

/// <summary>
/// Settings for <see cref="RestateServer.StartAsync(RestateServerOptions?, CancellationToken)"/>.
/// </summary>
public sealed record RestateServerOptions
{
    /// <summary>
    /// The environment variable that lets restate-server 1.7 negotiate service protocol V7 with deployments that offer
    /// it (set it to <c>true</c> in <see cref="Environment"/>); without it the server speaks at most V6. The server's
    /// switch is one-way for its data: a data directory that holds V7 journals cannot go back to a server older than 1.7.
    /// </summary>
    public const string ProtocolV7Variable = "RESTATE_EXPERIMENTAL_ENABLE_PROTOCOL_V7";

    /// <summary>
    /// Extra <c>RESTATE_*</c> environment variables for the server process, for example
    /// <c>RESTATE_WORKER__INVOKER__INACTIVITY_TIMEOUT=0s</c>. They override the defaults chosen by
    /// <see cref="RestateServer"/> (ports, data directory, partitions, ...). Inherited <c>RESTATE_*</c> variables of
    /// the current process are not passed on, so a test run does not depend on the developer's shell.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// How long to wait for the admin and ingress health endpoints to answer 200. Defaults to 30 seconds.
    /// </summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Receives every line the server writes to stdout or stderr, for example
    /// <c>ITestOutputHelper.WriteLine</c>. Exceptions thrown by the callback are swallowed.
    /// </summary>
    public Action<string>? Log { get; init; }

    /// <summary>
    /// Path of the native <c>restate-server</c> binary. When null, the environment variable
    /// <c>RESTATE_SERVER_BINARY</c> is used, and otherwise the binary installed by npm under
    /// <see cref="RepositoryRoot"/> (running <c>npm ci</c> there first if it is missing).
    /// </summary>
    public string? BinaryPath { get; init; }

    /// <summary>
    /// Folder holding the <c>package.json</c> that pins <c>@restatedev/restate-server</c>. When null, it is found by
    /// walking up from <see cref="AppContext.BaseDirectory"/> and then from the current directory.
    /// </summary>
    public string? RepositoryRoot { get; init; }

    /// <summary>
    /// A fixed ingress port on 127.0.0.1 (for local runs that print curl lines); 0, the default, picks a free port.
    /// </summary>
    public int IngressPort { get; init; }

    /// <summary>A fixed admin port on 127.0.0.1; 0, the default, picks a free port.</summary>
    public int AdminPort { get; init; }
}

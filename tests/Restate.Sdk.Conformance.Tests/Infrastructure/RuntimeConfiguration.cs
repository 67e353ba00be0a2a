namespace Restate.Sdk.Conformance.Tests.Infrastructure;

/// <summary>
/// One way of running the runtime under test against the conformance services, after the suites of Restate's own
/// conformance runner (see docs/conformance.md for the mapping).
/// </summary>
/// <param name="Name">The suite name, as upstream where there is one.</param>
/// <param name="Environment">restate-server settings on top of the testing defaults.</param>
/// <param name="Factory">Starts the runtime from the complete environment (this configuration's, plus the signing
/// key file when <paramref name="RequestSigning"/> is set).</param>
/// <param name="UseHttp11">Register the deployment over HTTP/1.1 (request/response) instead of h2c.</param>
/// <param name="RequestSigning">The server signs requests and the services accept only its key.</param>
/// <param name="Cluster">The runtime is a three-node cluster.</param>
public sealed record RuntimeConfiguration(
    string Name,
    IReadOnlyDictionary<string, string> Environment,
    Func<IReadOnlyDictionary<string, string>, CancellationToken, Task<IRestateRuntime>> Factory,
    bool UseHttp11 = false,
    bool RequestSigning = false,
    bool Cluster = false)
{
    /// <summary>The private key the server signs with (Ed25519, the pair used by Restate's own suite).</summary>
    public const string SigningPrivateKeyPem =
        "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIHsQRVQ+AZX9/Yy1b0Zw+OA+bb7xDxGsAd5kB45jZhoc\n-----END PRIVATE KEY-----\n";

    /// <summary>The public half of <see cref="SigningPrivateKeyPem"/>, in Restate's key format.</summary>
    public const string SigningPublicKey = "publickeyv1_ChjENKeMvCtRnqG2mrBK1HmPKufgFUc98K8B3ononQvp";

    private const string InactivityTimeout = "RESTATE_WORKER__INVOKER__INACTIVITY_TIMEOUT";
    private const string DisableEagerState = "RESTATE_WORKER__INVOKER__DISABLE_EAGER_STATE";
    private const string EnableProtocolV7 = "RESTATE_EXPERIMENTAL_ENABLE_PROTOCOL_V7";

    /// <summary>
    /// Fast retries, so a retried invocation takes milliseconds instead of the default half second and up; and the
    /// one-second cleanup interval the Ingress scenario asks for (it only makes expired results go away sooner).
    /// </summary>
    private static readonly Dictionary<string, string> Common = new()
    {
        ["RESTATE_DEFAULT_RETRY_POLICY__INITIAL_INTERVAL"] = "20ms",
        ["RESTATE_DEFAULT_RETRY_POLICY__MAX_INTERVAL"] = "100ms",
        ["RESTATE_WORKER__CLEANUP_INTERVAL"] = "1s",
    };

    /// <summary>HTTP/2 bidirectional streaming, default settings.</summary>
    public static RuntimeConfiguration Default { get; } = Single("default");

    /// <summary>Inactivity timeout 0: every await that is not complete at once suspends the invocation.</summary>
    public static RuntimeConfiguration AlwaysSuspending { get; } = Single("alwaysSuspending", (InactivityTimeout, "0s"));

    /// <summary>No eager state: the server sends no state with the start message, every read is a round trip.</summary>
    public static RuntimeConfiguration LazyState { get; } = Single("lazyState", (DisableEagerState, "true"));

    /// <summary>Lazy state and always suspending together.</summary>
    public static RuntimeConfiguration LazyStateAlwaysSuspending { get; } =
        Single("lazyStateAlwaysSuspending", (DisableEagerState, "true"), (InactivityTimeout, "0s"));

    /// <summary>One partition and one worker thread: everything is serialized through one processor.</summary>
    public static RuntimeConfiguration SingleThreadSinglePartition { get; } = Single("singleThreadSinglePartition",
        ("RESTATE_DEFAULT_NUM_PARTITIONS", "1"), ("RESTATE_DEFAULT_THREAD_POOL_SIZE", "1"));

    /// <summary>At most one timer in memory: the others are read back from storage when due.</summary>
    public static RuntimeConfiguration PersistedTimers { get; } =
        Single("persistedTimers", ("RESTATE_WORKER__NUM_TIMERS_IN_MEMORY_LIMIT", "1"));

    /// <summary>The server signs every request; the services accept only its public key.</summary>
    public static RuntimeConfiguration RequestSigningOn { get; } = Single("requestSigning") with { RequestSigning = true };

    /// <summary>The deployment is registered over HTTP/1.1: request/response, every incomplete await suspends.</summary>
    public static RuntimeConfiguration Http11 { get; } = Single("http1.1") with { UseHttp11 = true };

    /// <summary>Three nodes, four partitions.</summary>
    public static RuntimeConfiguration ThreeNodes { get; } =
        ClusterOf("threeNodes", ("RESTATE_DEFAULT_NUM_PARTITIONS", "4"));

    /// <summary>Three nodes, four partitions, inactivity timeout 0.</summary>
    public static RuntimeConfiguration ThreeNodesAlwaysSuspending { get; } =
        ClusterOf("threeNodesAlwaysSuspending", ("RESTATE_DEFAULT_NUM_PARTITIONS", "4"), (InactivityTimeout, "0s"));

    /// <summary>Service protocol V7 (restate-server 1.7 negotiates it only with its experimental switch on), defaults otherwise.</summary>
    public static RuntimeConfiguration V7 { get; } = Single("defaultV7", (EnableProtocolV7, "true"));

    /// <summary>Service protocol V7, inactivity timeout 0: every incomplete await suspends with a V7 future tree.</summary>
    public static RuntimeConfiguration V7AlwaysSuspending { get; } =
        Single("alwaysSuspendingV7", (EnableProtocolV7, "true"), (InactivityTimeout, "0s"));

    /// <summary>Service protocol V7 over HTTP/1.1 request/response, the mode Lambda deployments use.</summary>
    public static RuntimeConfiguration V7Http11 { get; } = Single("http1.1V7", (EnableProtocolV7, "true")) with { UseHttp11 = true };

    /// <summary>Service protocol V7 on three nodes, four partitions.</summary>
    public static RuntimeConfiguration V7ThreeNodes { get; } =
        ClusterOf("threeNodesV7", ("RESTATE_DEFAULT_NUM_PARTITIONS", "4"), (EnableProtocolV7, "true"));

    /// <summary>The service protocol version the configuration's invocations must use.</summary>
    public int ExpectedProtocolVersion => Environment.TryGetValue(EnableProtocolV7, out var on) && on == "true" ? 7 : 6;

    /// <summary>This configuration with more server settings, e.g. for a scenario that needs its own runtime.</summary>
    public RuntimeConfiguration With(params (string Key, string Value)[] settings) =>
        this with { Environment = Merge(Environment, settings) };

    public override string ToString() => Name;

    private static RuntimeConfiguration Single(string name, params (string Key, string Value)[] settings) =>
        new(name, Merge(Common, settings), SingleNodeRuntime.StartAsync);

    private static RuntimeConfiguration ClusterOf(string name, params (string Key, string Value)[] settings) =>
        new(name, Merge(Common, settings), ClusterRuntime.StartAsync, Cluster: true);

    private static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string> baseline, (string Key, string Value)[] settings)
    {
        var result = new Dictionary<string, string>(baseline);
        foreach (var (key, value) in settings)
        {
            result[key] = value;
        }
        return result;
    }
}

namespace Restate.Sdk.IntegrationTests;

/// <summary>A way of running restate-server against the test services, as in Restate's own conformance suites.</summary>
public sealed record ServerConfiguration(
    string Name,
    bool UseHttp11,
    IReadOnlyDictionary<string, string> Environment,
    bool RequestSigning = false)
{
    /// <summary>Retries fast so retry tests take milliseconds, not the default half second and up.</summary>
    private static readonly Dictionary<string, string> Common = new()
    {
        ["RESTATE_DEFAULT_RETRY_POLICY__INITIAL_INTERVAL"] = "20ms",
        ["RESTATE_DEFAULT_RETRY_POLICY__MAX_INTERVAL"] = "100ms",
    };

    public const string SigningPrivateKeyPem =
        "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIHsQRVQ+AZX9/Yy1b0Zw+OA+bb7xDxGsAd5kB45jZhoc\n-----END PRIVATE KEY-----\n";

    public const string SigningPublicKey = "publickeyv1_ChjENKeMvCtRnqG2mrBK1HmPKufgFUc98K8B3ononQvp";

    /// <summary>HTTP/2, bidirectional streaming: results are pushed to the running handler.</summary>
    public static ServerConfiguration BidiStream { get; } = new("bidi", false, Common);

    /// <summary>HTTP/1.1, request/response: every await that cannot complete at once suspends.</summary>
    public static ServerConfiguration RequestResponse { get; } = new("http1.1", true, Common);

    /// <summary>HTTP/2 with the inactivity timeout at 0: the runtime forces request/response (what Lambda looks like).</summary>
    public static ServerConfiguration AlwaysSuspending { get; } =
        new("alwaysSuspending", false, With(Common, ("RESTATE_WORKER__INVOKER__INACTIVITY_TIMEOUT", "0s")));

    /// <summary>No eager state: every read is a lazy round trip, and every await suspends.</summary>
    public static ServerConfiguration LazyStateAlwaysSuspending { get; } = new("lazyStateAlwaysSuspending", false,
        With(Common, ("RESTATE_WORKER__INVOKER__INACTIVITY_TIMEOUT", "0s"), ("RESTATE_WORKER__INVOKER__DISABLE_EAGER_STATE", "true")));

    /// <summary>The server signs every request; the endpoint only accepts its key.</summary>
    public static ServerConfiguration RequestSigningOn { get; } = new("requestSigning", false, Common, RequestSigning: true);

    /// <summary>True when every await that cannot complete at once ends the attempt (request/response, or inactivity timeout 0).</summary>
    public bool Suspends => UseHttp11 || Environment.GetValueOrDefault("RESTATE_WORKER__INVOKER__INACTIVITY_TIMEOUT") == "0s";

    public override string ToString() => Name;

    private static Dictionary<string, string> With(Dictionary<string, string> baseline, params (string Key, string Value)[] extra)
    {
        var result = new Dictionary<string, string>(baseline);
        foreach (var (key, value) in extra)
        {
            result[key] = value;
        }
        return result;
    }
}

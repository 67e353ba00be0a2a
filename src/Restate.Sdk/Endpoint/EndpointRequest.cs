namespace Restate.Sdk.Endpoint;

/// <summary>
/// What a transport knows about an incoming request before its body: method, path, headers and the protocol mode the
/// transport can offer. Passed to <see cref="RestateEndpoint.HandleAsync"/>, which does all routing, identity checks
/// and protocol negotiation from it.
/// </summary>
public sealed class EndpointRequest
{
    /// <summary>Describes a request.</summary>
    /// <param name="method">The HTTP method (<c>GET</c> for discovery and health, <c>POST</c> for invocations).</param>
    /// <param name="path">The request path as received, possibly under a deployment prefix (<c>/restate/invoke/Greeter/greet</c>).</param>
    /// <param name="getHeader">
    /// Looks up one header by name, case-insensitively; null when absent. Called for the few headers the endpoint reads
    /// (<c>content-type</c>, <c>accept</c>, the request-identity headers, <c>traceparent</c>, <c>tracestate</c>).
    /// </param>
    /// <param name="mode">
    /// What the transport can carry: <see cref="ProtocolMode.BidiStream"/> when it reads the request body while the
    /// response streams and flushes each write at once (HTTP/2), <see cref="ProtocolMode.RequestResponse"/> otherwise
    /// (HTTP/1.1, serverless functions). Discovery announces this mode, unless the endpoint forces request/response.
    /// </param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mode"/> is not a <see cref="ProtocolMode"/> value.</exception>
    public EndpointRequest(string method, string path, Func<string, string?> getHeader, ProtocolMode mode)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(getHeader);
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, $"{(int)mode} is not a protocol mode.");
        }
        Method = method;
        Path = path;
        GetHeader = getHeader;
        Mode = mode;
    }

    /// <summary>The HTTP method.</summary>
    public string Method { get; }

    /// <summary>The request path, possibly under a deployment prefix.</summary>
    public string Path { get; }

    /// <summary>Case-insensitive header lookup; null when absent.</summary>
    public Func<string, string?> GetHeader { get; }

    /// <summary>The protocol mode the transport can carry.</summary>
    public ProtocolMode Mode { get; }

    /// <summary>
    /// Every header of the request, for <see cref="InvocationRequest.AttemptHeaders"/>; called at most once per
    /// invocation attempt, and only when handler code or an interceptor asks. Null: the handler sees no headers.
    /// </summary>
    public Func<IReadOnlyDictionary<string, string>>? AllHeaders { get; init; }

    /// <summary>
    /// The transport takes and gives zstd-compressed bodies (as Restate's Lambda integration does, with
    /// <c>content-encoding: zstd</c>; the transport decompresses and compresses, the endpoint sees plain bytes):
    /// discovery then advertises <c>"lambdaCompression":"zstd"</c> when the negotiated manifest version has that field.
    /// </summary>
    public bool LambdaCompression { get; init; }
}

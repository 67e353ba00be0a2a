using Restate.Sdk.Internal;

namespace Restate.Sdk.Endpoint;

/// <summary>What a transport (HTTP, Lambda) knows about an incoming request before reading its body.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Request path, possibly under a deployment prefix.</param>
/// <param name="GetHeader">Case-insensitive header lookup; null when absent.</param>
/// <param name="Mode">The protocol mode this transport offers (HTTP/2: bidi; HTTP/1.1 and Lambda: request/response).</param>
internal readonly record struct EndpointRequest(string Method, string Path, Func<string, string?> GetHeader, ProtocolMode Mode)
{
    /// <summary>
    /// The transport takes and gives zstd-compressed bodies (Lambda): discovery then advertises
    /// <c>"lambdaCompression":"zstd"</c> when the negotiated manifest version has that field.
    /// </summary>
    public bool LambdaCompression { get; init; }

    /// <summary>Every header of the request, for <see cref="InvocationRequest.AttemptHeaders"/>; read only when asked for.</summary>
    public Func<IReadOnlyDictionary<string, string>>? AllHeaders { get; init; }
}

/// <summary>The endpoint's decision for a request: answer it directly, or run an invocation attempt.</summary>
internal abstract record EndpointResult
{
    private EndpointResult()
    {
    }

    /// <summary>A complete answer (discovery, or an error status with a message).</summary>
    public sealed record Reply(int Status, string ContentType, ReadOnlyMemory<byte> Body) : EndpointResult;

    /// <summary>Stream the body into <see cref="Core"/> and its output back with status 200 and <see cref="ContentType"/>.</summary>
    public sealed record Invocation(InvocationCore Core, string ContentType) : EndpointResult;
}

using Restate.Sdk.Driver;

namespace Restate.Sdk.Endpoint;

/// <summary>The endpoint's decision for a request: answer it directly, or run an invocation attempt.</summary>
internal abstract record EndpointResult
{
    private EndpointResult()
    {
    }

    /// <summary>A complete answer (discovery, health, or an error status with a message).</summary>
    public sealed record Reply(int Status, string ContentType, ReadOnlyMemory<byte> Body) : EndpointResult;

    /// <summary>Stream the body into <see cref="Core"/> and its output back with status 200 and <see cref="ContentType"/>.</summary>
    public sealed record Invocation(InvocationCore Core, string ContentType) : EndpointResult;
}

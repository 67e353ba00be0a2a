namespace Restate.Sdk.Engine;

/// <summary>What the runtime told the SDK about the invocation: identity, key, headers, input and random seed.</summary>
internal sealed record InvocationInput(
    string InvocationId,
    ReadOnlyMemory<byte> RawInvocationId,
    string Key,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    ReadOnlyMemory<byte> Body,
    ulong RandomSeed,
    uint RetryCountSinceLastStoredEntry,
    string? IdempotencyKey = null,
    string? Scope = null,
    string? LimitKey = null);

/// <summary>The two results of a request-response call: the callee's invocation id, then its response.</summary>
internal readonly record struct CallHandles(NotificationHandle InvocationId, NotificationHandle Result);

/// <summary>A handle for <c>RunAsync</c>: <see cref="Replayed"/> means the result is in the journal and the closure must not run.</summary>
internal readonly record struct RunHandle(bool Replayed, NotificationHandle Handle);

/// <summary>Which invocation to attach to or read the output of.</summary>
internal abstract record InvocationTarget
{
    private InvocationTarget()
    {
    }

    public sealed record ById(string InvocationId) : InvocationTarget;

    public sealed record Workflow(string Name, string Key) : InvocationTarget;

    public sealed record Idempotent(string Service, string? Key, string Handler, string IdempotencyKey) : InvocationTarget;
}

/// <summary>The address of a call or send: service, handler, and the key for virtual objects and workflows.</summary>
internal readonly record struct CallAddress(string Service, string Handler, string? Key);

/// <summary>Public view of the state machine's phase, used to gate logging (silent while replaying).</summary>
internal enum StateMachineState
{
    WaitingPreFlight,
    Replaying,
    Processing,
    Closed,
}

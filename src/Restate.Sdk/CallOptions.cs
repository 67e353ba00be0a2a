namespace Restate.Sdk;

/// <summary>Options of a request-response call.</summary>
public sealed record CallOptions
{
    /// <summary>Makes the call idempotent: a second call with the same key to the same target gets the first result.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Headers passed to the callee (visible in its <c>Context.Headers</c>).</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }
}

/// <summary>Options of a one-way send.</summary>
public sealed record SendOptions
{
    /// <summary>Run the call this long after now instead of at once (a durable timer in the runtime).</summary>
    public TimeSpan? Delay { get; init; }

    /// <summary>Makes the send idempotent: the same key to the same target starts at most one invocation.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Headers passed to the callee (visible in its <c>Context.Headers</c>).</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }
}

/// <summary>Options of <c>RunAsync</c>.</summary>
public sealed record RunOptions
{
    /// <summary>How failures of the closure are retried; <see cref="RetryPolicy.Infinite"/> when null.</summary>
    public RetryPolicy? RetryPolicy { get; init; }
}

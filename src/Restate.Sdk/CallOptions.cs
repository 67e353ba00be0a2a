namespace Restate.Sdk;

/// <summary>Options of a request-response call.</summary>
public sealed record CallOptions
{
    /// <summary>Makes the call idempotent: a second call with the same key to the same target gets the first result.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Headers passed to the callee (visible in its <c>Context.Headers</c>).</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>
    /// The scope of the invocation this call starts: a namespace restate-server partitions its virtual queues and
    /// concurrency rules by (e.g. one scope per tenant or per downstream system). Null for none. Up to 36 ASCII letters,
    /// digits, '_', '.' or '-'. Needs service protocol V7 and restate-server's virtual queues (see the README's
    /// "Scope and limit keys"); on an older protocol the call fails the attempt with a retryable error naming the cause.
    /// </summary>
    public string? Scope { get; init; }

    /// <summary>
    /// The key under <see cref="Scope"/> that restate-server's concurrency rules limit, e.g. <c>tenant1</c>, or two
    /// levels <c>tenant1/user7</c>. A rule matches the pattern <c>scope/limitKey</c> (levels may be <c>*</c> in the
    /// rule), so a rule on <c>payments/tenant1</c> caps how many invocations with this scope and key run at once.
    /// Requires a scope: a limit key alone throws <see cref="ArgumentException"/> at the call. Each level has the
    /// scope's rules (1 to 36 of <c>[A-Za-z0-9_.-]</c>).
    /// </summary>
    public string? LimitKey { get; init; }

    /// <summary>
    /// Checks <see cref="Scope"/> and <see cref="LimitKey"/> against restate-server's rules (each 1 to 36 of
    /// <c>[A-Za-z0-9_.-]</c>, a limit key of at most two levels and only with a scope). Calls do this themselves, in a
    /// handler and through the ingress client; call it to reject bad options earlier, e.g. where they are configured.
    /// </summary>
    /// <param name="parameterName">The name the exception reports as <see cref="ArgumentException.ParamName"/>, e.g. <c>nameof(options)</c>.</param>
    /// <exception cref="ArgumentException">The scope or limit key breaks a rule; the message names the value and the rule.</exception>
    public void Validate(string parameterName) => ScopeRules.Validate(Scope, LimitKey, parameterName);
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

    /// <summary>
    /// The scope of the invocation this send starts: a namespace restate-server partitions its virtual queues and
    /// concurrency rules by (e.g. one scope per tenant or per downstream system). Null for none. Up to 36 ASCII letters,
    /// digits, '_', '.' or '-'. Needs service protocol V7 and restate-server's virtual queues (see the README's
    /// "Scope and limit keys"); on an older protocol the send fails the attempt with a retryable error naming the cause.
    /// </summary>
    public string? Scope { get; init; }

    /// <summary>
    /// The key under <see cref="Scope"/> that restate-server's concurrency rules limit, e.g. <c>tenant1</c>, or two
    /// levels <c>tenant1/user7</c>. A rule matches the pattern <c>scope/limitKey</c> (levels may be <c>*</c> in the
    /// rule), so a rule on <c>payments/tenant1</c> caps how many invocations with this scope and key run at once.
    /// Requires a scope: a limit key alone throws <see cref="ArgumentException"/> at the send. Each level has the
    /// scope's rules (1 to 36 of <c>[A-Za-z0-9_.-]</c>).
    /// </summary>
    public string? LimitKey { get; init; }

    /// <summary>
    /// Checks <see cref="Scope"/> and <see cref="LimitKey"/> against restate-server's rules (each 1 to 36 of
    /// <c>[A-Za-z0-9_.-]</c>, a limit key of at most two levels and only with a scope). Sends do this themselves, in a
    /// handler and through the ingress client; call it to reject bad options earlier, e.g. where they are configured.
    /// </summary>
    /// <param name="parameterName">The name the exception reports as <see cref="ArgumentException.ParamName"/>, e.g. <c>nameof(options)</c>.</param>
    /// <exception cref="ArgumentException">The scope or limit key breaks a rule; the message names the value and the rule.</exception>
    public void Validate(string parameterName) => ScopeRules.Validate(Scope, LimitKey, parameterName);
}

/// <summary>Options of <c>RunAsync</c>.</summary>
public sealed record RunOptions
{
    /// <summary>How failures of the closure are retried; <see cref="RetryPolicy.Infinite"/> when null.</summary>
    public RetryPolicy? RetryPolicy { get; init; }
}

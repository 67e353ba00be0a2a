namespace Restate.Sdk.Definitions;

/// <summary>
/// Runtime settings published in the discovery manifest. Given to a service they apply to all its handlers; given
/// to a handler they override the service's. Unset values leave the server's defaults.
/// </summary>
public sealed record HandlerOptions
{
    /// <summary>Shown in the Restate UI and OpenAPI.</summary>
    public string? Documentation { get; init; }

    /// <summary>Free-form key/value pairs stored with the service schema.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>How long a bidirectional stream may stay idle before the runtime asks the handler to suspend.</summary>
    public TimeSpan? InactivityTimeout { get; init; }

    /// <summary>How long after the inactivity timeout the runtime aborts the attempt.</summary>
    public TimeSpan? AbortTimeout { get; init; }

    /// <summary>How long the journal is kept after completion.</summary>
    public TimeSpan? JournalRetention { get; init; }

    /// <summary>How long results of idempotent requests are kept (not for workflow run handlers).</summary>
    public TimeSpan? IdempotencyRetention { get; init; }

    /// <summary>How long a workflow's result is kept (workflow run handlers only).</summary>
    public TimeSpan? WorkflowCompletionRetention { get; init; }

    /// <summary>Fetch state on demand instead of receiving it with each invocation.</summary>
    public bool? EnableLazyState { get; init; }

    /// <summary>Hide from the ingress: only other handlers can call it.</summary>
    public bool? IngressPrivate { get; init; }

    /// <summary>Delay before the runtime's first retry of a failed attempt.</summary>
    public TimeSpan? RetryInitialInterval { get; init; }

    /// <summary>Upper bound of the runtime's retry delay.</summary>
    public TimeSpan? RetryMaxInterval { get; init; }

    /// <summary>Attempts before <see cref="RetryOnMaxAttempts"/> applies.</summary>
    public int? RetryMaxAttempts { get; init; }

    /// <summary>Growth factor of the runtime's retry delay.</summary>
    public double? RetryExponentiationFactor { get; init; }

    /// <summary>What happens when <see cref="RetryMaxAttempts"/> is exhausted.</summary>
    public OnMaxAttempts? RetryOnMaxAttempts { get; init; }
}

namespace Restate.Sdk.Definitions;

/// <summary>
/// Runtime settings published in the discovery manifest. Given to a service they apply to all its handlers; given
/// to a handler they override the service's. Unset values leave the server's defaults.
/// </summary>
/// <remarks>
/// Some settings belong in one place only, as restate-server requires; <c>Build()</c> of the service builders throws
/// <see cref="InvalidOperationException"/> naming the setting and where it belongs otherwise:
/// <see cref="WorkflowCompletionRetention"/> only on a workflow's run handler; <see cref="IdempotencyRetention"/> not on
/// a run handler; <see cref="IngressPrivate"/> not <c>false</c> on a handler of an ingress-private service;
/// <see cref="Accept"/> and <see cref="ContentType"/> only on a handler with an input or an output. Durations are zero
/// or more, <see cref="RetryMaxAttempts"/> and <see cref="RetryExponentiationFactor"/> at least 1.
/// </remarks>
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

    /// <summary>
    /// How long results of idempotent requests are kept. Not on a workflow's run handler; on a workflow's service
    /// options it applies to the shared handlers.
    /// </summary>
    public TimeSpan? IdempotencyRetention { get; init; }

    /// <summary>How long a workflow's result is kept: only in the options of a workflow's run handler (<c>WorkflowBuilder.Run</c>).</summary>
    public TimeSpan? WorkflowCompletionRetention { get; init; }

    /// <summary>Fetch state on demand instead of receiving it with each invocation.</summary>
    public bool? EnableLazyState { get; init; }

    /// <summary>
    /// Hide from the ingress: only other handlers can call it. A handler of an ingress-private service cannot set it to
    /// <c>false</c>: make the service public and hide handlers one by one instead.
    /// </summary>
    public bool? IngressPrivate { get; init; }

    /// <summary>Delay before the runtime's first retry of a failed attempt.</summary>
    public TimeSpan? RetryInitialInterval { get; init; }

    /// <summary>Upper bound of the runtime's retry delay.</summary>
    public TimeSpan? RetryMaxInterval { get; init; }

    /// <summary>Attempts before <see cref="RetryOnMaxAttempts"/> applies; at least 1.</summary>
    public int? RetryMaxAttempts { get; init; }

    /// <summary>Growth factor of the runtime's retry delay; a finite number of at least 1.</summary>
    public double? RetryExponentiationFactor { get; init; }

    /// <summary>What happens when <see cref="RetryMaxAttempts"/> is exhausted.</summary>
    public OnMaxAttempts? RetryOnMaxAttempts { get; init; }

    /// <summary>
    /// What restate-server does when the handler no longer matches the invocation's journal (error 570): retry, pause
    /// or fail; unset, the endpoint's setting applies (<see cref="Endpoint.RestateEndpointBuilder.WithJournalMismatchBehavior"/>,
    /// retry by default). Unlike the other options this one is not published in the manifest: the SDK sends it with
    /// the error, and only under service protocol V7 (see <see cref="Sdk.OnJournalMismatch"/>).
    /// </summary>
    public OnJournalMismatch? OnJournalMismatch { get; init; }

    /// <summary>
    /// Handler options only: the request content type restate-server admits at the ingress for the handler's input,
    /// instead of the input serde's <see cref="Serde{T}.ContentType"/>. One media type <c>type/subtype</c>,
    /// <c>type/*</c> or <c>*/*</c>, in lower case and without parameters (the server compares type and subtype as
    /// written, ignoring the request's parameters). Published as the manifest's <c>input.contentType</c>.
    /// </summary>
    /// <remarks>
    /// <c>Build()</c> throws <see cref="InvalidOperationException"/> when it is malformed, set on a handler without
    /// input, or given in a service's options.
    /// </remarks>
    public string? Accept { get; init; }

    /// <summary>
    /// Handler options only: the content type restate-server sets on the handler's ingress response, instead of the
    /// output serde's <see cref="Serde{T}.ContentType"/>, e.g. <c>text/plain</c> or
    /// <c>application/json; charset=utf-8</c> (no wildcards). It labels the serde's bytes and does not change them.
    /// Published as the manifest's <c>output.contentType</c>.
    /// </summary>
    /// <remarks>
    /// <c>Build()</c> throws <see cref="InvalidOperationException"/> when it is malformed, set on a handler without
    /// output, or given in a service's options.
    /// </remarks>
    public string? ContentType { get; init; }
}

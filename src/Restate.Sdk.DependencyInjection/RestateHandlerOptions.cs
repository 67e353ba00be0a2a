using Restate.Sdk.Definitions;

namespace Restate.Sdk.DependencyInjection;

/// <summary>
/// Runtime settings of a handler (<c>Restate:Services:&lt;Service&gt;:Handlers:&lt;Handler&gt;:…</c>) or, through
/// <see cref="RestateServiceOptions"/>, of a service, read from configuration. Each value set here replaces the one the
/// code gave in <see cref="HandlerOptions"/>; values left unset keep the code's. They reach restate-server through
/// discovery: register the deployment again after changing them.
/// </summary>
/// <remarks>
/// Durations are written as <see cref="TimeSpan"/>s (<c>00:05:00</c> for five minutes, <c>1.00:00:00</c> for a day).
/// Where each setting may go is checked as in code (see <see cref="HandlerOptions"/>), when the endpoint is built.
/// Documentation, metadata and content types describe the code and stay in it.
/// </remarks>
public class RestateHandlerOptions
{
    /// <summary><see cref="HandlerOptions.InactivityTimeout"/>.</summary>
    public TimeSpan? InactivityTimeout { get; set; }

    /// <summary><see cref="HandlerOptions.AbortTimeout"/>.</summary>
    public TimeSpan? AbortTimeout { get; set; }

    /// <summary><see cref="HandlerOptions.JournalRetention"/>.</summary>
    public TimeSpan? JournalRetention { get; set; }

    /// <summary><see cref="HandlerOptions.IdempotencyRetention"/>.</summary>
    public TimeSpan? IdempotencyRetention { get; set; }

    /// <summary><see cref="HandlerOptions.WorkflowCompletionRetention"/>: only on a workflow's run handler.</summary>
    public TimeSpan? WorkflowCompletionRetention { get; set; }

    /// <summary><see cref="HandlerOptions.EnableLazyState"/>.</summary>
    public bool? EnableLazyState { get; set; }

    /// <summary><see cref="HandlerOptions.IngressPrivate"/>.</summary>
    public bool? IngressPrivate { get; set; }

    /// <summary><see cref="HandlerOptions.RetryInitialInterval"/>.</summary>
    public TimeSpan? RetryInitialInterval { get; set; }

    /// <summary><see cref="HandlerOptions.RetryMaxInterval"/>.</summary>
    public TimeSpan? RetryMaxInterval { get; set; }

    /// <summary><see cref="HandlerOptions.RetryMaxAttempts"/>: at least 1.</summary>
    public int? RetryMaxAttempts { get; set; }

    /// <summary><see cref="HandlerOptions.RetryExponentiationFactor"/>: a finite number of at least 1.</summary>
    public double? RetryExponentiationFactor { get; set; }

    /// <summary><see cref="HandlerOptions.RetryOnMaxAttempts"/>: <c>Pause</c> or <c>Kill</c>.</summary>
    public OnMaxAttempts? RetryOnMaxAttempts { get; set; }

    /// <summary><see cref="HandlerOptions.OnJournalMismatch"/>: <c>Retry</c>, <c>Pause</c> or <c>Fail</c>.</summary>
    public OnJournalMismatch? OnJournalMismatch { get; set; }

    /// <summary>Whether any value is set.</summary>
    internal bool IsEmpty => InactivityTimeout is null && AbortTimeout is null && JournalRetention is null
        && IdempotencyRetention is null && WorkflowCompletionRetention is null && EnableLazyState is null && IngressPrivate is null
        && RetryInitialInterval is null && RetryMaxInterval is null && RetryMaxAttempts is null
        && RetryExponentiationFactor is null && RetryOnMaxAttempts is null && OnJournalMismatch is null;

    /// <summary><paramref name="code"/> with the values set here replacing its own.</summary>
    internal HandlerOptions? ApplyTo(HandlerOptions? code) => IsEmpty ? code : (code ?? new HandlerOptions()) with
    {
        InactivityTimeout = InactivityTimeout ?? code?.InactivityTimeout,
        AbortTimeout = AbortTimeout ?? code?.AbortTimeout,
        JournalRetention = JournalRetention ?? code?.JournalRetention,
        IdempotencyRetention = IdempotencyRetention ?? code?.IdempotencyRetention,
        WorkflowCompletionRetention = WorkflowCompletionRetention ?? code?.WorkflowCompletionRetention,
        EnableLazyState = EnableLazyState ?? code?.EnableLazyState,
        IngressPrivate = IngressPrivate ?? code?.IngressPrivate,
        RetryInitialInterval = RetryInitialInterval ?? code?.RetryInitialInterval,
        RetryMaxInterval = RetryMaxInterval ?? code?.RetryMaxInterval,
        RetryMaxAttempts = RetryMaxAttempts ?? code?.RetryMaxAttempts,
        RetryExponentiationFactor = RetryExponentiationFactor ?? code?.RetryExponentiationFactor,
        RetryOnMaxAttempts = RetryOnMaxAttempts ?? code?.RetryOnMaxAttempts,
        OnJournalMismatch = OnJournalMismatch ?? code?.OnJournalMismatch,
    };
}

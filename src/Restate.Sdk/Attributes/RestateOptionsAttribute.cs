using Restate.Sdk.Definitions;

namespace Restate.Sdk;

/// <summary>
/// The runtime settings that <see cref="ServiceAttribute"/>, <see cref="VirtualObjectAttribute"/>,
/// <see cref="WorkflowAttribute"/> and <see cref="HandlerAttribute"/> share; they become a <see cref="HandlerOptions"/>
/// in the generated definition and the discovery manifest. Settings left unset keep the server's defaults.
/// </summary>
/// <remarks>
/// Durations are strings checked at compile time: one or more <c>&lt;integer&gt;&lt;unit&gt;</c> parts with the units
/// <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c> and <c>d</c>, e.g. <c>"500ms"</c>, <c>"10s"</c>, <c>"1h30m"</c>, <c>"2d"</c>
/// (attributes cannot take a <see cref="TimeSpan"/>). Handler settings override the class's.
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, Inherited = false)]
public abstract class RestateOptionsAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="name">The Restate name; null for the default derived from the C# name.</param>
    private protected RestateOptionsAttribute(string? name) => Name = name;

    /// <summary>The Restate name, or null for the default derived from the C# name.</summary>
    public string? Name { get; }

    /// <summary>Shown in the Restate UI and OpenAPI; defaults to the XML doc <c>&lt;summary&gt;</c>.</summary>
    public string? Documentation { get; set; }

    /// <summary>How long a bidirectional stream may stay idle before the runtime asks the handler to suspend (a duration).</summary>
    public string? InactivityTimeout { get; set; }

    /// <summary>How long after the inactivity timeout the runtime aborts the attempt (a duration).</summary>
    public string? AbortTimeout { get; set; }

    /// <summary>How long the journal is kept after completion (a duration).</summary>
    public string? JournalRetention { get; set; }

    /// <summary>How long results of idempotent requests are kept (a duration; not for the workflow run handler).</summary>
    public string? IdempotencyRetention { get; set; }

    /// <summary>How long a workflow's result is kept (a duration; workflows and their run handler only).</summary>
    public string? WorkflowCompletionRetention { get; set; }

    /// <summary>Fetch state on demand instead of receiving it with each invocation.</summary>
    public bool EnableLazyState { get; set; }

    /// <summary>Hide from the ingress: only other handlers can call it.</summary>
    public bool IngressPrivate { get; set; }

    /// <summary>Delay before the runtime's first retry of a failed attempt (a duration).</summary>
    public string? RetryInitialInterval { get; set; }

    /// <summary>Upper bound of the runtime's retry delay (a duration).</summary>
    public string? RetryMaxInterval { get; set; }

    /// <summary>Attempts before <see cref="RetryOnMaxAttempts"/> applies; at least 1.</summary>
    public int RetryMaxAttempts { get; set; }

    /// <summary>Growth factor of the runtime's retry delay; at least 1.</summary>
    public double RetryExponentiationFactor { get; set; }

    /// <summary>What happens when <see cref="RetryMaxAttempts"/> is exhausted.</summary>
    public OnMaxAttempts RetryOnMaxAttempts { get; set; }

    /// <summary>
    /// What restate-server does when the handler no longer matches the invocation's journal: retry, pause or fail
    /// (pause and fail need service protocol V7; see <see cref="Sdk.OnJournalMismatch"/>).
    /// </summary>
    public OnJournalMismatch OnJournalMismatch { get; set; }
}

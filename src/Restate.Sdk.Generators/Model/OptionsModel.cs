namespace Restate.Sdk.Generators.Model;

/// <summary>
/// The <c>HandlerOptions</c> of a service or handler, durations in milliseconds; null members stay unset.
/// <see cref="Accept"/> and <see cref="ContentType"/> are set on handlers only.
/// </summary>
internal sealed record OptionsModel(
    string? Documentation,
    long? InactivityTimeout,
    long? AbortTimeout,
    long? JournalRetention,
    long? IdempotencyRetention,
    long? WorkflowCompletionRetention,
    bool? EnableLazyState,
    bool? IngressPrivate,
    long? RetryInitialInterval,
    long? RetryMaxInterval,
    int? RetryMaxAttempts,
    double? RetryExponentiationFactor,
    int? RetryOnMaxAttempts,
    string? Accept,
    string? ContentType,
    int? OnJournalMismatch = null)
{
    public static OptionsModel Empty { get; } = new(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    public bool IsEmpty => this == Empty;
}

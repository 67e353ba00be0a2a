namespace Patterns.Signals;

/// <summary>The provider's record of a payment: its id, where it stands, and why it failed.</summary>
public sealed record PaymentIntent(string Id, PaymentIntentStatus Status, string? FailureReason = null);

/// <summary>Where a payment intent stands at the provider.</summary>
public enum PaymentIntentStatus
{
    /// <summary>Paid.</summary>
    Succeeded,

    /// <summary>Not decided yet: the outcome comes later through the webhook.</summary>
    Processing,

    /// <summary>Refused by the bank or the provider.</summary>
    Declined,
}

/// <summary>
/// The event the provider posts to <c>PaymentService/processWebhook</c> when a processing payment is decided:
/// <c>payment_intent.succeeded</c> or <c>payment_intent.payment_failed</c>, with the callback id the payment was
/// created with (the awakeable that waits for it).
/// </summary>
public sealed record PaymentWebhook(string Type, string PaymentIntentId, string CallbackId, string? FailureReason = null)
{
    /// <summary>The event type of a payment that went through.</summary>
    public const string Succeeded = "payment_intent.succeeded";

    /// <summary>The event type of a declined payment.</summary>
    public const string Failed = "payment_intent.payment_failed";
}

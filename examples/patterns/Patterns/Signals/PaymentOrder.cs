namespace Patterns.Signals;

/// <summary>
/// A payment of <paramref name="Amount"/> (in cents, the currency's smallest unit, as Stripe counts it) with a payment
/// method of the provider (<c>pm_card_visa</c> succeeds, <c>pm_card_visa_chargeDeclined</c> is declined);
/// <paramref name="DelayedStatus"/> asks the provider to answer
/// "processing" first and the outcome later through its webhook, as slow payment methods do.
/// </summary>
public sealed record PaymentOrder(string PaymentMethodId, long Amount, bool DelayedStatus = false);

/// <summary>A paid payment, and which answer of the provider confirmed it: <c>response</c> or <c>webhook</c>.</summary>
public sealed record PaymentReceipt(string PaymentIntentId, string ConfirmedBy);

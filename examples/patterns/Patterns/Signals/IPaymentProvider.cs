namespace Patterns.Signals;

/// <summary>A payment provider (Stripe-like) that answers at once, or later through a webhook.</summary>
public interface IPaymentProvider
{
    /// <summary>
    /// Creates and confirms a payment. The provider keeps <paramref name="callbackId"/> with it and sends it back in
    /// the webhook; <paramref name="idempotencyKey"/> makes a repeated request answer the first payment instead of charging again.
    /// </summary>
    Task<PaymentIntent> CreatePaymentAsync(PaymentOrder order, string callbackId, string idempotencyKey, CancellationToken cancellationToken);
}

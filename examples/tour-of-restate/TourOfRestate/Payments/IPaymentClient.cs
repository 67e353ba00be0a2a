namespace TourOfRestate.Payments;

/// <summary>A payment provider that deduplicates charges by idempotency key, as real ones do.</summary>
public interface IPaymentClient
{
    /// <summary>Charges a user once per idempotency key; a repeated key answers the first outcome without charging again.</summary>
    /// <returns>Whether the payment went through.</returns>
    Task<bool> ChargeAsync(PaymentRequest request, CancellationToken cancellationToken);
}

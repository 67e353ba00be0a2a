namespace TourOfRestate.Payments;

/// <summary>One charge: who pays how much, under the key that makes retrying it safe.</summary>
public sealed record PaymentRequest(string IdempotencyKey, string UserId, decimal Amount);

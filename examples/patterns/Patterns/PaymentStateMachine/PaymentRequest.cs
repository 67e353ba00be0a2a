namespace Patterns.PaymentStateMachine;

/// <summary>A payment from an account, in cents.</summary>
public sealed record PaymentRequest(string AccountId, long AmountCents);

/// <summary>What <c>makePayment</c> did: whether it charged, and why not.</summary>
public sealed record PaymentResult(bool Success, string Reason);

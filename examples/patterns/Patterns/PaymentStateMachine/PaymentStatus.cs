namespace Patterns.PaymentStateMachine;

/// <summary>Where a payment is: not seen yet, paid, or cancelled (before or after it was paid).</summary>
public enum PaymentStatus
{
    /// <summary>Neither paid nor cancelled (also what an unset or expired status reads as).</summary>
    New,

    /// <summary>The account was charged.</summary>
    Completed,

    /// <summary>Cancelled: a later payment is refused; a charge made before was refunded.</summary>
    Cancelled,
}

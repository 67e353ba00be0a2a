namespace OrderConsistency.Inventory;

/// <summary>What the inventory holds for one earmark id.</summary>
public enum HoldingState
{
    /// <summary>The assets are earmarked for the order.</summary>
    Earmarked,

    /// <summary>The assets are booked for the order.</summary>
    Booked,

    /// <summary>The earmark or the booking was released.</summary>
    Released,
}

/// <summary>The assets the inventory holds under one earmark id, for one item of one order.</summary>
public sealed record Holding(string EarmarkId, string OrderId, string ItemId, string Asset, int Quantity, HoldingState State);

/// <summary>One call the inventory received, and what it did with it.</summary>
/// <param name="Sequence">The call's position among all calls, from 1.</param>
/// <param name="Operation"><c>earmark</c>, <c>book</c>, <c>release-earmark</c> or <c>release-booking</c>.</param>
/// <param name="EarmarkId">The earmark id, which is the call's idempotency key.</param>
/// <param name="OrderId">The order, if the earmark is known.</param>
/// <param name="ItemId">The item, if the earmark is known.</param>
/// <param name="Outcome">What happened.</param>
public sealed record InventoryOperation(long Sequence, string Operation, string EarmarkId, string? OrderId, string? ItemId, OperationOutcome Outcome);

/// <summary>What the inventory did with a call.</summary>
public enum OperationOutcome
{
    /// <summary>The call changed the holding.</summary>
    Applied,

    /// <summary>The same call had been applied before (a retry): nothing changed.</summary>
    Repeated,

    /// <summary>A simulated transient failure before anything changed; the caller retries.</summary>
    FailedBeforeApplying,

    /// <summary>A simulated transient failure after the change was made (the answer was lost); the caller retries.</summary>
    FailedAfterApplying,

    /// <summary>Refused for good: the asset is not available, or the booking was refused.</summary>
    NotAvailable,

    /// <summary>Refused because the holding is in the wrong state (an earmark id never seen, a released earmark booked).</summary>
    Refused,
}

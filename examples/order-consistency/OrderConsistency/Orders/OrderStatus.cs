namespace OrderConsistency.Orders;

/// <summary>Where an order is in its life; see the state diagram in the README.</summary>
public enum OrderStatus
{
    /// <summary>Not created yet (the order has no state).</summary>
    None,

    /// <summary>Created; items can be added, and it can be closed or canceled.</summary>
    Open,

    /// <summary>Closed and every item booked.</summary>
    Closed,

    /// <summary>Closing failed: an item could not be booked, so nothing is booked and no earmark is left.</summary>
    Failed,

    /// <summary>Canceled while open: the earmarks were released.</summary>
    Canceled,

    /// <summary>Canceled after it was closed: every booking was released.</summary>
    Reversed,
}

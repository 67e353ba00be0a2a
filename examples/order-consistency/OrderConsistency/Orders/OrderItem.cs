namespace OrderConsistency.Orders;

/// <summary>An item to add to an order: <paramref name="Quantity"/> units of <paramref name="Asset"/>, named <paramref name="ItemId"/> within the order.</summary>
public sealed record OrderItem(string ItemId, string Asset, int Quantity);

/// <summary>An item of an order, with the earmark that holds its assets in the inventory.</summary>
/// <param name="Item">What was ordered.</param>
/// <param name="EarmarkId">The inventory's id of the earmark (and later of the booking); the idempotency key of every inventory call for this item.</param>
public sealed record OrderLine(OrderItem Item, string EarmarkId);

/// <summary>An order as its callers see it.</summary>
/// <param name="OrderId">The order's key.</param>
/// <param name="Status">Its status.</param>
/// <param name="Lines">Its items, in the order they were added.</param>
/// <param name="FailureReason">Why closing failed, for <see cref="OrderStatus.Failed"/>.</param>
public sealed record OrderView(string OrderId, OrderStatus Status, IReadOnlyList<OrderLine> Lines, string? FailureReason);

namespace OrderConsistency.Orders;

/// <summary>The items of an order to book, or whose bookings to release.</summary>
public sealed record BookingRequest(IReadOnlyList<OrderLine> Lines);

/// <summary>What booking an order's items came to: all booked, or none (<paramref name="FailureReason"/> says why).</summary>
public sealed record BookingOutcome(bool Booked, string? FailureReason);

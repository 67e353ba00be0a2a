namespace Patterns.DurableRpc;

/// <summary>A user asking for one product.</summary>
public sealed record ReservationRequest(string ProductId, string UserId);

using OrderConsistency.Orders;

namespace OrderConsistency.Clients;

/// <summary>What a client did to one order and what it was answered.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="AddedItems">Items whose <c>addItem</c> was answered with success: the order must hold each exactly once.</param>
/// <param name="RejectedItems">Items refused because their assets were not available: the order must not hold them.</param>
/// <param name="Answers">Each request with the endpoint that answered and the answer, in order (for the report).</param>
/// <param name="Finished">A close or a cancel was answered with success, or accepted as a one-way send: the order can no
/// longer be open.</param>
/// <param name="LastStatus">The status in the last successful answer, when one client drove the order alone; the
/// order must still be in it. Null when clients raced on the order.</param>
public sealed record OrderRun(
    string OrderId,
    IReadOnlyList<string> AddedItems,
    IReadOnlyList<string> RejectedItems,
    IReadOnlyList<string> Answers,
    bool Finished,
    OrderStatus? LastStatus);

/// <summary>How a client picks the endpoint of each request.</summary>
public enum EndpointChoice
{
    /// <summary>Every request goes to the same endpoint first (it moves on only when that one does not answer).</summary>
    Sticky,

    /// <summary>Each request goes to the next endpoint in turn, so one order's steps are spread over all of them.</summary>
    Alternating,
}

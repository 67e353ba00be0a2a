using OrderConsistency.Orders;

namespace OrderConsistency.Checking;

/// <summary>What <see cref="InvariantChecker"/> found.</summary>
/// <param name="Orders">How many orders were checked.</param>
/// <param name="Statuses">How many orders ended in each status.</param>
/// <param name="Violations">Every broken invariant, one sentence each naming the order; empty when all hold.</param>
/// <param name="InventoryCalls">How many calls the inventory received.</param>
/// <param name="RepeatedCalls">Calls the inventory had applied before (retries that changed nothing).</param>
/// <param name="TransientFailures">Calls that failed transiently and were retried by Restate.</param>
public sealed record ConsistencyReport(
    int Orders,
    IReadOnlyDictionary<OrderStatus, int> Statuses,
    IReadOnlyList<string> Violations,
    int InventoryCalls,
    int RepeatedCalls,
    int TransientFailures)
{
    /// <summary>One line for logs and READMEs, e.g. <c>40 orders (Closed 12, …), 230 inventory calls (…), 0 violations</c>.</summary>
    public override string ToString() =>
        $"{Orders} orders ({string.Join(", ", Statuses.OrderBy(pair => pair.Key).Select(pair => $"{pair.Key} {pair.Value}"))}), " +
        $"{InventoryCalls} inventory calls ({TransientFailures} transient failures retried, {RepeatedCalls} repeats absorbed), " +
        $"{Violations.Count} violations";
}

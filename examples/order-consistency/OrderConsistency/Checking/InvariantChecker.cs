using OrderConsistency.Clients;
using OrderConsistency.Inventory;
using OrderConsistency.Orders;

namespace OrderConsistency.Checking;

/// <summary>
/// Compares each order's final state with the inventory and with what its clients were answered. The invariants:
/// <list type="bullet">
/// <item>no order is partially executed: CLOSED holds a booking for every item; FAILED, CANCELED and REVERSED hold
/// nothing; an OPEN order holds an earmark for every item; no earmark is left once an order is no longer open; every
/// order a client ran exists, and none is open after a close or cancel was answered;</item>
/// <item>no duplicates: an item is in its order once, and the inventory holds one earmark per item (one per
/// idempotency key); a holding that belongs to no item of its order is released;</item>
/// <item>nothing lost: every item a client was told was added is in the order, no refused item is, and an order
/// driven by one client is in the status of the last answer that client got.</item>
/// </list>
/// </summary>
public static class InvariantChecker
{
    /// <summary>Checks every run against the order's state (<paramref name="readOrder"/>) and the inventory's records.</summary>
    /// <param name="runs">What the clients did.</param>
    /// <param name="readOrder">Reads an order's final state, e.g. through the <c>get</c> handler.</param>
    /// <param name="holdings">Every holding of the inventory.</param>
    /// <param name="operations">Every call the inventory received.</param>
    public static async Task<ConsistencyReport> CheckAsync(IReadOnlyList<OrderRun> runs, Func<string, Task<OrderView>> readOrder,
        IReadOnlyList<Holding> holdings, IReadOnlyList<InventoryOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(readOrder);
        ArgumentNullException.ThrowIfNull(holdings);
        ArgumentNullException.ThrowIfNull(operations);
        var violations = new List<string>();
        var statuses = new Dictionary<OrderStatus, int>();
        var holdingsByOrder = holdings.ToLookup(holding => holding.OrderId);
        foreach (var run in runs)
        {
            var order = await readOrder(run.OrderId).ConfigureAwait(false);
            statuses[order.Status] = statuses.GetValueOrDefault(order.Status) + 1;
            CheckOrder(run, order, [.. holdingsByOrder[run.OrderId]], violations);
        }
        var known = runs.Select(run => run.OrderId).ToHashSet(StringComparer.Ordinal);
        foreach (var stray in holdings.Where(holding => !known.Contains(holding.OrderId) && holding.State != HoldingState.Released))
        {
            violations.Add($"Earmark {stray.EarmarkId} of unknown order '{stray.OrderId}' is {stray.State}");
        }
        return new ConsistencyReport(runs.Count, statuses, violations, operations.Count,
            operations.Count(operation => operation.Outcome == OperationOutcome.Repeated),
            operations.Count(operation => operation.Outcome is OperationOutcome.FailedBeforeApplying or OperationOutcome.FailedAfterApplying));
    }

    private static void CheckOrder(OrderRun run, OrderView order, IReadOnlyList<Holding> holdings, List<string> violations)
    {
        var id = run.OrderId;
        if (run.LastStatus is { } answered && answered != order.Status)
        {
            violations.Add($"Order '{id}' is {order.Status}, but its client was last answered {answered}");
        }
        if (order.Status == OrderStatus.None)
        {
            // Every run starts with create: an order that does not exist means the client was refused its first step.
            violations.Add($"Order '{id}' does not exist although its client ran it: {string.Join("; ", run.Answers)}");
        }
        else if (order.Status == OrderStatus.Open && run.Finished)
        {
            violations.Add($"Order '{id}' is {order.Status} although a close or cancel was answered: {string.Join("; ", run.Answers)}");
        }
        var items = order.Lines.Select(line => line.Item.ItemId).ToList();
        foreach (var duplicate in items.GroupBy(item => item).Where(group => group.Count() > 1))
        {
            violations.Add($"Order '{id}' holds item '{duplicate.Key}' {duplicate.Count()} times");
        }
        foreach (var lost in run.AddedItems.Except(items))
        {
            violations.Add($"Order '{id}' lost item '{lost}', whose addItem was answered with success");
        }
        foreach (var refused in run.RejectedItems.Intersect(items))
        {
            violations.Add($"Order '{id}' holds item '{refused}', whose addItem was refused");
        }

        var expected = order.Status switch
        {
            OrderStatus.Open => HoldingState.Earmarked,
            OrderStatus.Closed => HoldingState.Booked,
            _ => HoldingState.Released,
        };
        var byEarmark = holdings.ToDictionary(holding => holding.EarmarkId, StringComparer.Ordinal);
        foreach (var line in order.Lines)
        {
            if (!byEarmark.TryGetValue(line.EarmarkId, out var holding))
            {
                violations.Add($"Order '{id}' item '{line.Item.ItemId}' has no holding in the inventory (earmark {line.EarmarkId})");
            }
            else if (holding.State != expected)
            {
                violations.Add($"Order '{id}' is {order.Status} but item '{line.Item.ItemId}' is {holding.State} in the inventory, not {expected}");
            }
        }
        var earmarks = order.Lines.Select(line => line.EarmarkId).ToHashSet(StringComparer.Ordinal);
        foreach (var orphan in holdings.Where(holding => !earmarks.Contains(holding.EarmarkId) && holding.State != HoldingState.Released))
        {
            violations.Add($"Order '{id}' has a second or stray holding {orphan.EarmarkId} for item '{orphan.ItemId}', {orphan.State}");
        }
    }
}

using OrderConsistency.Inventory;
using Restate.Sdk;

namespace OrderConsistency.Orders;

/// <summary>
/// Books an order's items, all or nothing (a saga), once per order id. If the inventory refuses one booking, the
/// bookings made so far are released, newest first, and then the earmarks of every item not booked.
/// </summary>
[Workflow(ServiceName)]
public sealed partial class OrderBookingWorkflow(IInventory inventory)
{
    /// <summary>The workflow's name in restate-server: it makes the order happen (books it).</summary>
    public const string ServiceName = "makeOrders";

    /// <summary>Books every item, or none.</summary>
    /// <returns>Booked, or not booked and why; never half booked.</returns>
    [Handler("run")]
    public async Task<BookingOutcome> RunAsync(WorkflowContext ctx, BookingRequest request)
    {
        // Every step is journaled: after a crash or a failover the saga resumes with the bookings it already made, so
        // it knows exactly which to undo. That only holds because the journal is replicated before a step counts as done.
        var booked = new Stack<OrderLine>();
        foreach (var line in request.Lines)
        {
            try
            {
                await ctx.RunAsync("book " + line.Item.ItemId, cancellation => inventory.BookAsync(line.EarmarkId, cancellation));
                booked.Push(line);
            }
            catch (TerminalException refused)
            {
                // Transient failures never get here: Restate retries them. A refusal is final, so undo.
                while (booked.TryPop(out var done))
                {
                    await ctx.RunAsync("release booking " + done.Item.ItemId,
                        cancellation => inventory.ReleaseBookingAsync(done.EarmarkId, cancellation));
                }
                foreach (var open in request.Lines.SkipWhile(other => other != line))
                {
                    await ctx.RunAsync("release earmark " + open.Item.ItemId,
                        cancellation => inventory.ReleaseEarmarkAsync(open.EarmarkId, cancellation));
                }
                return new BookingOutcome(false, refused.Message);
            }
        }
        return new BookingOutcome(true, null);
    }
}

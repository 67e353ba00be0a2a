using OrderConsistency.Inventory;
using Restate.Sdk;

namespace OrderConsistency.Orders;

/// <summary>Releases every booking of a closed order, once per order id.</summary>
[Workflow(ServiceName)]
public sealed partial class OrderReversalWorkflow(IInventory inventory)
{
    /// <summary>The workflow's name in restate-server: it reverses a closed order.</summary>
    public const string ServiceName = "reverseOrders";

    /// <summary>Releases the bookings; each release is journaled and idempotent, so a retry never releases twice.</summary>
    [Handler("run")]
    public async Task RunAsync(WorkflowContext ctx, BookingRequest request)
    {
        foreach (var line in request.Lines)
        {
            await ctx.RunAsync("release booking " + line.Item.ItemId,
                cancellation => inventory.ReleaseBookingAsync(line.EarmarkId, cancellation));
        }
    }
}

using OrderConsistency.Inventory;
using Restate.Sdk;

namespace OrderConsistency.Orders;

/// <summary>
/// One order, keyed by its id: the state machine NONE → OPEN → CLOSED/FAILED, OPEN → CANCELED, CLOSED → REVERSED.
/// Restate runs one exclusive handler per order at a time and queues the others in arrival order, so a close and a
/// cancel sent concurrently through different nodes never interleave: whichever is first decides what the second finds.
/// </summary>
[VirtualObject(ServiceName)]
public sealed partial class OrderObject(IInventory inventory)
{
    /// <summary>The object's name on the ingress (<c>/order/{orderId}/create</c>) and in restate-server's state.</summary>
    public const string ServiceName = "order";

    /// <summary>The order's status; absent means <see cref="OrderStatus.None"/>.</summary>
    public static readonly StateKey<OrderStatus> Status = new("status");

    /// <summary>The order's items with their earmarks.</summary>
    public static readonly StateKey<List<OrderLine>> Lines = new("lines");

    /// <summary>Why closing failed.</summary>
    public static readonly StateKey<string> FailureReason = new("failureReason");

    /// <summary>Opens the order.</summary>
    /// <exception cref="TerminalException">409: the order exists already.</exception>
    [Handler("create")]
    public async Task<OrderView> CreateAsync(ObjectContext ctx)
    {
        await RequireAsync(ctx, OrderStatus.None, "create");
        ctx.Set(Status, OrderStatus.Open);
        return new OrderView(ctx.Key, OrderStatus.Open, [], null);
    }

    /// <summary>Earmarks the item's assets in the inventory and adds the item; if the assets are not available, the item is not added.</summary>
    /// <exception cref="TerminalException">400: a malformed item; 409: the order is not open, or has an item with that id;
    /// 422: the assets are not available.</exception>
    [Handler("addItem")]
    public async Task<OrderView> AddItemAsync(ObjectContext ctx, OrderItem item)
    {
        Validate(item);
        await RequireAsync(ctx, OrderStatus.Open, "add an item to");
        var lines = await ctx.GetAsync(Lines) ?? [];
        if (lines.Exists(line => line.Item.ItemId == item.ItemId))
        {
            throw new TerminalException($"Order '{ctx.Key}' already has an item '{item.ItemId}'", 409);
        }
        // The earmark id comes from the journaled random source: the same on every retry and replay of this invocation,
        // so the inventory sees one earmark however often the call is repeated; another addItem invocation gets another.
        var earmarkId = $"em-{ctx.Random.NewGuid():N}";
        await ctx.RunAsync("earmark " + item.ItemId, cancellation => inventory.EarmarkAsync(earmarkId, ctx.Key, item, cancellation));
        lines.Add(new OrderLine(item, earmarkId));
        ctx.Set(Lines, lines);
        return new OrderView(ctx.Key, OrderStatus.Open, lines, null);
    }

    /// <summary>Books every item through <see cref="OrderBookingWorkflow"/>: all booked → CLOSED; otherwise nothing stays booked or earmarked → FAILED.</summary>
    /// <exception cref="TerminalException">409: the order is not open.</exception>
    [Handler("close")]
    public async Task<OrderView> CloseAsync(ObjectContext ctx)
    {
        await RequireAsync(ctx, OrderStatus.Open, "close");
        var lines = await ctx.GetAsync(Lines) ?? [];
        // The order stays locked while its workflow runs: a cancel that arrives meanwhile waits and then finds CLOSED or FAILED.
        var outcome = await ctx.WorkflowClient<OrderBookingWorkflowClient>(ctx.Key).RunAsync(new BookingRequest(lines));
        var status = outcome.Booked ? OrderStatus.Closed : OrderStatus.Failed;
        ctx.Set(Status, status);
        if (outcome.FailureReason is { } reason)
        {
            ctx.Set(FailureReason, reason);
        }
        return new OrderView(ctx.Key, status, lines, outcome.FailureReason);
    }

    /// <summary>Cancels the order: an open one releases its earmarks → CANCELED; a closed one releases its bookings through
    /// <see cref="OrderReversalWorkflow"/> → REVERSED.</summary>
    /// <exception cref="TerminalException">409: the order is not open or closed.</exception>
    [Handler("cancel")]
    public async Task<OrderView> CancelAsync(ObjectContext ctx)
    {
        var status = await ctx.GetAsync(Status);
        var lines = await ctx.GetAsync(Lines) ?? [];
        switch (status)
        {
            case OrderStatus.Open:
                foreach (var line in lines)
                {
                    await ctx.RunAsync("release earmark " + line.Item.ItemId,
                        cancellation => inventory.ReleaseEarmarkAsync(line.EarmarkId, cancellation));
                }
                status = OrderStatus.Canceled;
                break;
            case OrderStatus.Closed:
                await ctx.WorkflowClient<OrderReversalWorkflowClient>(ctx.Key).RunAsync(new BookingRequest(lines));
                status = OrderStatus.Reversed;
                break;
            default:
                throw InvalidTransition(ctx.Key, status, "cancel");
        }
        ctx.Set(Status, status);
        return new OrderView(ctx.Key, status, lines, null);
    }

    /// <summary>The order as it is now; <see cref="OrderStatus.None"/> with no items if it was never created.</summary>
    [Shared]
    [Handler("get")]
    public static async Task<OrderView> GetAsync(SharedObjectContext ctx) =>
        new(ctx.Key, await ctx.GetAsync(Status), await ctx.GetAsync(Lines) ?? [], await ctx.GetAsync(FailureReason));

    private static async Task RequireAsync(ObjectContext ctx, OrderStatus expected, string action)
    {
        var status = await ctx.GetAsync(Status);
        if (status != expected)
        {
            throw InvalidTransition(ctx.Key, status, action);
        }
    }

    private static TerminalException InvalidTransition(string orderId, OrderStatus status, string action) =>
        new(status == OrderStatus.None
            ? $"Cannot {action} order '{orderId}': it does not exist"
            : $"Cannot {action} order '{orderId}': it is {status.ToString().ToUpperInvariant()}", 409);

    private static void Validate(OrderItem? item)
    {
        if (item is null || string.IsNullOrWhiteSpace(item.ItemId) || string.IsNullOrWhiteSpace(item.Asset))
        {
            throw new TerminalException("An item needs an 'itemId' and an 'asset'", 400);
        }
        if (item.Quantity <= 0)
        {
            throw new TerminalException($"Item '{item.ItemId}' needs a positive 'quantity', not {item.Quantity}", 400);
        }
    }
}

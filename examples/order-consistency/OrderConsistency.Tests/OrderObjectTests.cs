using OrderConsistency.Inventory;
using OrderConsistency.Orders;
using Restate.Sdk;

namespace OrderConsistency.Tests;

public sealed class OrderObjectTests(OrderFixture restate) : IClassFixture<OrderFixture>
{
    private static readonly OrderItem Apples = new("i1", "AAPL", 10);
    private static readonly OrderItem Microsoft = new("i2", "MSFT", 5);
    private static readonly OrderItem Unbookable = new("i3", OrderFixture.UnbookableAsset, 1);

    [Fact]
    public async Task Close_EveryItemBooks_ClosesWithAllItemsBooked()
    {
        var orderId = await restate.OpenOrderAsync(Apples, Microsoft);

        var closed = await restate.Order(orderId).CloseAsync();

        Assert.Equal(OrderStatus.Closed, closed.Status);
        Assert.Equal(["i1", "i2"], closed.Lines.Select(line => line.Item.ItemId));
        Assert.Equal(OrderStatus.Closed, await restate.StoredStatusAsync(orderId));
        Assert.Equal(new Dictionary<string, HoldingState> { ["i1"] = HoldingState.Booked, ["i2"] = HoldingState.Booked },
            restate.HoldingStates(orderId));
    }

    [Fact]
    public async Task Close_OneBookingRefused_FailsAndReleasesTheBookedItemAndEveryEarmark()
    {
        var extra = new OrderItem("i4", "GOOG", 2);
        var orderId = await restate.OpenOrderAsync(Apples, Unbookable, extra);

        var closed = await restate.Order(orderId).CloseAsync();

        Assert.Equal(OrderStatus.Failed, closed.Status);
        Assert.Contains($"asset '{OrderFixture.UnbookableAsset}' for item 'i3' was refused", closed.FailureReason, StringComparison.Ordinal);
        Assert.Equal(OrderStatus.Failed, await restate.StoredStatusAsync(orderId));
        Assert.All(restate.HoldingStates(orderId).Values, state => Assert.Equal(HoldingState.Released, state));
        // i1 was booked before i3 was refused, so the saga released its booking; i3 and i4 only had earmarks.
        var applied = restate.Inventory.OperationsOf(orderId)
            .Where(operation => operation.Outcome == OperationOutcome.Applied && operation.Operation != "earmark")
            .Select(operation => $"{operation.Operation} {operation.ItemId}");
        Assert.Equal(["book i1", "release-booking i1", "release-earmark i3", "release-earmark i4"], applied);
    }

    [Fact]
    public async Task Cancel_OpenOrder_ReleasesTheEarmarksAndCancels()
    {
        var orderId = await restate.OpenOrderAsync(Apples, Microsoft);

        var canceled = await restate.Order(orderId).CancelAsync();

        Assert.Equal(OrderStatus.Canceled, canceled.Status);
        Assert.Equal(OrderStatus.Canceled, await restate.StoredStatusAsync(orderId));
        Assert.Equal(new Dictionary<string, HoldingState> { ["i1"] = HoldingState.Released, ["i2"] = HoldingState.Released },
            restate.HoldingStates(orderId));
        Assert.DoesNotContain(restate.Inventory.OperationsOf(orderId), operation => operation.Operation == "book");
    }

    [Fact]
    public async Task Cancel_ClosedOrder_ReleasesTheBookingsAndReverses()
    {
        var orderId = await restate.OpenOrderAsync(Apples, Microsoft);
        await restate.Order(orderId).CloseAsync();

        var reversed = await restate.Order(orderId).CancelAsync();

        Assert.Equal(OrderStatus.Reversed, reversed.Status);
        Assert.Equal(OrderStatus.Reversed, await restate.StoredStatusAsync(orderId));
        var releases = restate.Inventory.OperationsOf(orderId)
            .Where(operation => operation.Outcome == OperationOutcome.Applied && operation.Operation == "release-booking");
        Assert.Equal(["i1", "i2"], releases.Select(operation => operation.ItemId));
        Assert.All(restate.HoldingStates(orderId).Values, state => Assert.Equal(HoldingState.Released, state));
    }

    [Fact]
    public async Task AddItem_AssetNotAvailable_Answers422AndLeavesTheItemOut()
    {
        var orderId = await restate.OpenOrderAsync(Apples);

        var message = await OrderFixture.FailsWithAsync(422,
            () => restate.Order(orderId).AddItemAsync(new OrderItem("i9", OrderFixture.UnavailableAsset, 3)));

        Assert.Equal($"3 of asset '{OrderFixture.UnavailableAsset}' for item 'i9' of order '{orderId}' are not available", message);
        var order = await restate.Order(orderId).GetAsync();
        Assert.Equal(OrderStatus.Open, order.Status);
        Assert.Equal(["i1"], order.Lines.Select(line => line.Item.ItemId));
        Assert.Equal(new Dictionary<string, HoldingState> { ["i1"] = HoldingState.Earmarked }, restate.HoldingStates(orderId));
    }

    [Fact]
    public async Task AddItem_SameIdempotencyKeyTwice_AddsOneItemAndEarmarksOnce()
    {
        var orderId = await restate.OpenOrderAsync();
        var once = new CallOptions { IdempotencyKey = $"{orderId}-add-i1" };

        var first = await restate.Order(orderId).AddItemAsync(Apples, once);
        // A client that lost the answer retries with the same key (possibly through another node): the server answers
        // the first result and does not run addItem again.
        var retried = await restate.Order(orderId).AddItemAsync(Apples, once);

        Assert.Equal(first.Lines, retried.Lines);
        Assert.Single((await restate.Order(orderId).GetAsync()).Lines);
        Assert.Single(restate.Inventory.HoldingsOf(orderId));
        // Without the key, the same item is a second request, and the order refuses a duplicate item id.
        var message = await OrderFixture.FailsWithAsync(409, () => restate.Order(orderId).AddItemAsync(Apples));
        Assert.Equal($"Order '{orderId}' already has an item 'i1'", message);
    }

    [Fact]
    public async Task AddItem_InventoryFailsTransiently_RetriesIntoOneEarmarkPerItem()
    {
        var items = Enumerable.Range(1, 8).Select(i => new OrderItem($"t{i}", "AMZN", i)).ToArray();

        // A fixed order id: the inventory's failures depend on the seed, the order and the item, so they are the same every run.
        var orderId = await restate.OpenOrderAsync("transient-failures", items);

        var operations = restate.Inventory.OperationsOf(orderId);
        // With this seed some earmark calls fail, before or after the change; Restate retries them with the same earmark id.
        Assert.Contains(operations, operation => operation.Outcome == OperationOutcome.FailedBeforeApplying);
        Assert.Contains(operations, operation => operation.Outcome == OperationOutcome.FailedAfterApplying);
        Assert.Equal(8, operations.Count(operation => operation.Outcome == OperationOutcome.Applied));
        Assert.Equal(items.Select(item => item.ItemId), restate.Inventory.HoldingsOf(orderId).Select(holding => holding.ItemId).Order());
        Assert.Equal(8, (await restate.Order(orderId).GetAsync()).Lines.Count);
    }

    [Fact]
    public async Task InvalidTransitions_Answer409WithTheOrdersStatus()
    {
        var neverCreated = OrderFixture.NewOrderId();
        var canceled = await restate.OpenOrderAsync(Apples);
        await restate.Order(canceled).CancelAsync();
        var failed = await restate.OpenOrderAsync(Unbookable);
        await restate.Order(failed).CloseAsync();

        Assert.Equal($"Cannot add an item to order '{neverCreated}': it does not exist",
            await OrderFixture.FailsWithAsync(409, () => restate.Order(neverCreated).AddItemAsync(Apples)));
        Assert.Equal($"Cannot create order '{canceled}': it is CANCELED",
            await OrderFixture.FailsWithAsync(409, () => restate.Order(canceled).CreateAsync()));
        Assert.Equal($"Cannot close order '{canceled}': it is CANCELED",
            await OrderFixture.FailsWithAsync(409, () => restate.Order(canceled).CloseAsync()));
        Assert.Equal($"Cannot cancel order '{failed}': it is FAILED",
            await OrderFixture.FailsWithAsync(409, () => restate.Order(failed).CancelAsync()));
        Assert.Equal(OrderStatus.None, (await restate.Order(neverCreated).GetAsync()).Status);
    }

    [Fact]
    public async Task AddItem_NoQuantity_Answers400NamingTheField()
    {
        var orderId = await restate.OpenOrderAsync();

        var message = await OrderFixture.FailsWithAsync(400, () => restate.Order(orderId).AddItemAsync(new OrderItem("i1", "AAPL", 0)));

        Assert.Equal("Item 'i1' needs a positive 'quantity', not 0", message);
        Assert.Empty(restate.Inventory.HoldingsOf(orderId));
    }
}

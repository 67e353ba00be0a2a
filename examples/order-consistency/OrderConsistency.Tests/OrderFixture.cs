using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OrderConsistency.Inventory;
using OrderConsistency.Orders;
using Restate.Sdk;
using Restate.Sdk.Testing;
using Restate.Sdk.Testing.Xunit;

namespace OrderConsistency.Tests;

/// <summary>restate-server and the order services, registered as Program.cs does, started once for a test class.</summary>
public class OrderFixture : RestateServicesFixture
{
    /// <summary>An asset the inventory never has.</summary>
    public const string UnavailableAsset = "UNAVAILABLE";

    /// <summary>An asset the inventory earmarks but refuses to book.</summary>
    public const string UnbookableAsset = "UNBOOKABLE";

    // No random refusals, so every path is chosen by the assets; a quarter of the calls fail transiently (half of those
    // after the change was made), always the same ones, so every test also sees Restate retry inventory calls.
    public OrderFixture()
        : this(new OrderConsistencyOptions { Seed = 7, TransientFailureProbability = 0.25, EarmarkFailureProbability = 0, BookingFailureProbability = 0 })
    {
    }

    protected OrderFixture(OrderConsistencyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.UnavailableAssets.Add(UnavailableAsset);
        options.UnbookableAssets.Add(UnbookableAsset);
        Inventory = new InMemoryInventory(Microsoft.Extensions.Options.Options.Create(options), NullLogger<InMemoryInventory>.Instance);
    }

    /// <summary>The inventory the handlers call, to see what they did.</summary>
    public InMemoryInventory Inventory { get; }

    // Every await that cannot complete at once suspends the invocation, so each test also exercises replay.
    protected override RestateTestOptions Options => new() { AlwaysSuspend = true };

    public static string NewOrderId() => $"order-{Guid.NewGuid():N}";

    /// <summary>The generated ingress client of one order.</summary>
    public OrderObjectIngressClient Order(string orderId) => Client.ObjectClient<OrderObjectIngressClient>(orderId);

    /// <summary>Creates an order and adds the items, each of which must be earmarked.</summary>
    public Task<string> OpenOrderAsync(params OrderItem[] items) => OpenOrderAsync(NewOrderId(), items);

    /// <summary>Creates the order <paramref name="orderId"/> and adds the items, each of which must be earmarked.</summary>
    public async Task<string> OpenOrderAsync(string orderId, params OrderItem[] items)
    {
        await Order(orderId).CreateAsync();
        foreach (var item in items)
        {
            await Order(orderId).AddItemAsync(item);
        }
        return orderId;
    }

    /// <summary>The holdings of the order's items, by item id.</summary>
    public IReadOnlyDictionary<string, HoldingState> HoldingStates(string orderId) =>
        Inventory.HoldingsOf(orderId).ToDictionary(holding => holding.ItemId, holding => holding.State);

    /// <summary>The order's state as stored by restate-server, read through its SQL API.</summary>
    public Task<OrderStatus> StoredStatusAsync(string orderId) => GetStateAsync(OrderObject.ServiceName, orderId, OrderObject.Status);

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddOrders();
        // The last registration wins: the tests keep a handle on the inventory the handlers use.
        services.AddSingleton(Inventory);
    }

    /// <summary>Asserts that <paramref name="call"/> fails with <paramref name="code"/> and returns the message.</summary>
    public static async Task<string> FailsWithAsync(ushort code, Func<Task> call)
    {
        var failure = await Assert.ThrowsAsync<TerminalException>(call);
        Assert.Equal(code, failure.Code);
        return failure.Message;
    }
}

/// <summary>The inventory refuses some earmarks and bookings at random (from a fixed seed), as in the cluster test.</summary>
public sealed class RandomFailuresFixture() : OrderFixture(new OrderConsistencyOptions
{
    Seed = 11,
    TransientFailureProbability = 0.1,
    EarmarkFailureProbability = 0.1,
    BookingFailureProbability = 0.15,
});

using OrderConsistency.Inventory;
using OrderConsistency.Orders;

namespace OrderConsistency;

/// <summary>What the app serves and what its handlers depend on, shared by <c>Program.cs</c> and the tests.</summary>
public static class OrderServices
{
    /// <summary>Registers the order object, its two workflows, the in-process inventory and <see cref="OrderConsistencyOptions"/> (section <c>Orders</c>).</summary>
    public static IServiceCollection AddOrders(this IServiceCollection services)
    {
        services.AddOptions<OrderConsistencyOptions>().BindConfiguration(OrderConsistencyOptions.Section);
        // A singleton: the stand-in for the inventory keeps its holdings across invocations.
        services.AddSingleton<InMemoryInventory>();
        services.AddSingleton<IInventory>(provider => provider.GetRequiredService<InMemoryInventory>());
        return services.AddRestate(restate => restate
            .AddService<OrderObject>()
            .AddService<OrderBookingWorkflow>()
            .AddService<OrderReversalWorkflow>()).Services;
    }
}

namespace Restate.Sdk.Testing.Tests;

/// <summary>A plain service the fake context's tests call through its generated client.</summary>
[Service("Greeter")]
public sealed partial class Greeter
{
    [Handler("greet")]
    public static Task<string> GreetAsync(Context ctx, string name) => Task.FromResult($"Hello {name}");

    [Handler("ping")]
    public static Task PingAsync(Context ctx) => Task.CompletedTask;
}

/// <summary>A shop whose checkout uses state, a side effect, a timer, a call and a send, for the fake context's tests.</summary>
[VirtualObject("Shop")]
public sealed partial class Shop
{
    public static readonly StateKey<long> Orders = new("orders");
    public static readonly StateKey<string> LastReceipt = new("last-receipt");

    [Handler("checkout")]
    public static async Task<string> CheckoutAsync(ObjectContext ctx, long amount)
    {
        var order = await ctx.GetAsync(Orders) + 1;
        var receipt = await ctx.RunAsync("charge", _ => Task.FromResult($"ch_{amount}"));
        await ctx.SleepAsync(TimeSpan.FromMinutes(5), "cool-off");
        var greeting = await ctx.ServiceClient<GreeterClient>().GreetAsync(ctx.Key);
        ctx.Set(Orders, order);
        ctx.Set(LastReceipt, receipt);
        ctx.ObjectClient<ShopClient>(ctx.Key)
            .Send(new SendOptions { Delay = TimeSpan.FromDays(1), IdempotencyKey = $"forget-{order}" })
            .Forget();
        return $"{greeting}: order {order} paid with {receipt}";
    }

    [Handler("forget")]
    public static Task ForgetAsync(ObjectContext ctx)
    {
        ctx.ClearAll();
        return Task.CompletedTask;
    }
}

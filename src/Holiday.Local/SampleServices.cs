using Restate.Sdk;
using Restate.Sdk.Definitions;

namespace Holiday.Local;

/// <summary>
/// The small sample the local run serves until the Holiday services exist: a greeter that journals a side effect and
/// sleeps durably, and a counter object with keyed state.
/// </summary>
internal static class SampleServices
{
    private static readonly StateKey<long> Count = new("count", Serde.Int64);

    public static IEnumerable<ServiceDefinition> All() =>
    [
        ServiceDefinition.ForService("Greeter")
            .Handler("greet", async (Context ctx, string name) =>
            {
                var greeting = await ctx.RunAsync("compose", _ => Task.FromResult($"Hello {name}!"), Serde.String);
                await ctx.SleepAsync(TimeSpan.FromMilliseconds(500), "pause");
                return greeting;
            }, Serde.String, Serde.String)
            .Build(),
        ServiceDefinition.ForVirtualObject("Counter")
            .Handler("add", async (ObjectContext ctx, long delta) =>
            {
                var total = await ctx.GetAsync(Count) + delta;
                ctx.Set(Count, total);
                return total;
            }, Serde.Int64, Serde.Int64)
            .SharedHandler("get", async (SharedObjectContext ctx) => await ctx.GetAsync(Count), Serde.Int64)
            .Build(),
    ];
}

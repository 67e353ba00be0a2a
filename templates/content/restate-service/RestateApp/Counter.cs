using Restate.Sdk;

namespace RestateApp;

/// <summary>A counter per key: Restate keeps its state and runs one <c>add</c> per key at a time.</summary>
[VirtualObject("Counter")]
public sealed partial class Counter
{
    public static readonly StateKey<long> Count = new("count");

    [Handler("add")]
    public static async Task<long> AddAsync(ObjectContext ctx, long delta)
    {
        var total = await ctx.GetAsync(Count) + delta;
        ctx.Set(Count, total);
        return total;
    }

    [Shared]
    [Handler("get")]
    public static async Task<long> GetAsync(SharedObjectContext ctx) => await ctx.GetAsync(Count);
}

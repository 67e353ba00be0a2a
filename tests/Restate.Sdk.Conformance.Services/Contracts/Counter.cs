using Restate.Sdk.Definitions;

namespace Restate.Sdk.Conformance.Services.Contracts;

internal sealed record CounterUpdateResponse(long OldValue, long NewValue);

/// <summary><c>Counter</c>: a number per key; <c>addThenFail</c> writes and then fails terminally with the key as message.</summary>
internal static class Counter
{
    public const string Name = "Counter";

    private static readonly StateKey<long> Count = new("counter", Serde.Int64);

    public static ServiceDefinition Definition() => ServiceDefinition.ForVirtualObject(Name)
        .Handler("add", async (ObjectContext ctx, long value) =>
        {
            var old = await ctx.GetAsync(Count);
            ctx.Set(Count, old + value);
            return new CounterUpdateResponse(old, old + value);
        }, Serde.Int64, Serde.Json(ConformanceJson.Default.CounterUpdateResponse))
        .Handler("addThenFail", async (ObjectContext ctx, long value) =>
        {
            ctx.Set(Count, await ctx.GetAsync(Count) + value);
            throw new TerminalException(ctx.Key);
        }, Serde.Int64)
        .SharedHandler("get", async (SharedObjectContext ctx) => await ctx.GetAsync(Count), Serde.Int64)
        .Handler("reset", (ObjectContext ctx) =>
        {
            ctx.Clear(Count.Name);
            return Task.CompletedTask;
        })
        .Build();
}

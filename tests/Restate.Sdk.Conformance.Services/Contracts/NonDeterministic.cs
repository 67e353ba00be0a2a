using System.Collections.Concurrent;
using Restate.Sdk.Definitions;

namespace Restate.Sdk.Conformance.Services.Contracts;

/// <summary>
/// <c>NonDeterministic</c>: each handler issues a different command on every other attempt (counted in memory per
/// key), so a replay finds a journal that does not match; only an attempt that got past the mismatch would add 1 to
/// <c>Counter/{key}</c>, which the scenario checks never happens.
/// </summary>
internal static class NonDeterministic
{
    public const string Name = "NonDeterministic";

    private const string OtherCounterKey = "abc";
    private static readonly TimeSpan ShortSleep = TimeSpan.FromMilliseconds(100);
    private static readonly ConcurrentDictionary<string, int> AttemptsByKey = new();

    public static ServiceDefinition Definition() => ServiceDefinition.ForVirtualObject(Name)
        .Handler("eitherSleepOrCall", async (ObjectContext ctx) =>
        {
            if (OddAttempt(ctx))
            {
                await ctx.SleepAsync(ShortSleep);
            }
            else
            {
                await CallCounter(ctx, "get");
            }
            IncrementCounter(ctx);
        })
        .Handler("callDifferentMethod", async (ObjectContext ctx) =>
        {
            await CallCounter(ctx, OddAttempt(ctx) ? "get" : "reset");
            IncrementCounter(ctx);
        })
        .Handler("backgroundInvokeWithDifferentTargets", async (ObjectContext ctx) =>
        {
            ctx.Send(Target.ForObject(Counter.Name, OtherCounterKey, OddAttempt(ctx) ? "get" : "reset"), [], Serde.Bytes);
            await ctx.SleepAsync(ShortSleep);
            IncrementCounter(ctx);
        })
        .Handler("setDifferentKey", async (ObjectContext ctx) =>
        {
            ctx.Set(new StateKey<string>(OddAttempt(ctx) ? "a" : "b", Serde.String), "my-state");
            await ctx.SleepAsync(ShortSleep);
            IncrementCounter(ctx);
        })
        .Build();

    private static bool OddAttempt(ObjectContext ctx) => AttemptsByKey.AddOrUpdate(ctx.Key, 1, static (_, n) => n + 1) % 2 == 1;

    private static CallFuture<byte[]> CallCounter(ObjectContext ctx, string handler) =>
        ctx.CallAsync(Target.ForObject(Counter.Name, OtherCounterKey, handler), [], Serde.Bytes, Serde.Bytes);

    private static void IncrementCounter(ObjectContext ctx) =>
        ctx.Send(Target.ForObject(Counter.Name, ctx.Key, "add"), 1L, Serde.Int64);
}

using Restate.Sdk.Definitions;

namespace Restate.Sdk.Conformance.Services.Contracts;

/// <summary>
/// <c>KillTestRunner</c> and <c>KillTestSingleton</c>: a call tree that blocks for good. The singleton hands an
/// awakeable to <see cref="AwakeableHolder"/>, waits for it, then calls itself on the same (busy) key.
/// </summary>
internal static class KillTest
{
    public const string RunnerName = "KillTestRunner";
    public const string SingletonName = "KillTestSingleton";

    public static ServiceDefinition Runner() => ServiceDefinition.ForVirtualObject(RunnerName)
        .Handler("startCallTree", async (ObjectContext ctx) =>
            await ctx.CallAsync(Target.ForObject(SingletonName, ctx.Key, "recursiveCall"), [], Serde.Bytes, Serde.Bytes))
        .Build();

    public static ServiceDefinition Singleton() => ServiceDefinition.ForVirtualObject(SingletonName)
        .Handler("recursiveCall", async (ObjectContext ctx) =>
        {
            var awakeable = ctx.Awakeable(Serde.Bytes);
            ctx.Send(Target.ForObject(AwakeableHolder.Name, ctx.Key, "hold"), awakeable.Id, Serde.String);
            await awakeable.Value;
            await ctx.CallAsync(Target.ForObject(SingletonName, ctx.Key, "recursiveCall"), [], Serde.Bytes, Serde.Bytes);
        })
        .Handler("isUnlocked", (ObjectContext ctx) => Task.CompletedTask)
        .Build();
}

using System.Text.Json.Serialization;
using Restate.Sdk.Definitions;

namespace Restate.Sdk.Conformance.Services.Contracts;

[JsonConverter(typeof(JsonStringEnumConverter<BlockingOperation>))]
internal enum BlockingOperation
{
    [JsonStringEnumMemberName("CALL")]
    Call,

    [JsonStringEnumMemberName("SLEEP")]
    Sleep,

    [JsonStringEnumMemberName("AWAKEABLE")]
    Awakeable,
}

/// <summary>
/// <c>CancelTestRunner</c> and <c>CancelTestBlockingService</c>: the runner calls the blocking service, which hands
/// an awakeable to <see cref="AwakeableHolder"/> and, once the test completes it, blocks forever on a call, a sleep
/// or an awakeable. The runner records whether the call ended with a cancellation.
/// </summary>
internal static class CancelTest
{
    public const string RunnerName = "CancelTestRunner";
    public const string BlockingServiceName = "CancelTestBlockingService";

    private static readonly StateKey<bool> Canceled = new("canceled", Serde.Boolean);
    private static readonly Serde<BlockingOperation> OperationSerde = Serde.Json(ConformanceJson.Default.BlockingOperation);

    public static ServiceDefinition Runner() => ServiceDefinition.ForVirtualObject(RunnerName)
        .Handler("startTest", async (ObjectContext ctx, BlockingOperation operation) =>
        {
            try
            {
                await ctx.CallAsync(Target.ForObject(BlockingServiceName, ctx.Key, "block"), operation, OperationSerde, Serde.Bytes);
            }
            catch (TerminalException e) when (e.IsCancellation)
            {
                ctx.Set(Canceled, true);
            }
        }, OperationSerde)
        .Handler("verifyTest", async (ObjectContext ctx) => await ctx.GetAsync(Canceled), Serde.Boolean)
        .Build();

    public static ServiceDefinition BlockingService() => ServiceDefinition.ForVirtualObject(BlockingServiceName)
        .Handler("block", async (ObjectContext ctx, BlockingOperation operation) =>
        {
            var awakeable = ctx.Awakeable(Serde.Bytes);
            await ctx.CallAsync(Target.ForObject(AwakeableHolder.Name, ctx.Key, "hold"), awakeable.Id, Serde.String, Serde.Bytes);
            await awakeable.Value;
            switch (operation)
            {
                case BlockingOperation.Call:
                    // Calls this very object, whose key is busy with this invocation: it never runs.
                    await ctx.CallAsync(Target.ForObject(BlockingServiceName, ctx.Key, "block"), operation, OperationSerde, Serde.Bytes);
                    break;
                case BlockingOperation.Sleep:
                    await ctx.SleepAsync(TimeSpan.FromDays(3650));
                    break;
                case BlockingOperation.Awakeable:
                    // Nobody knows this awakeable's id.
                    await ctx.Awakeable(Serde.Bytes).Value;
                    break;
            }
        }, OperationSerde)
        .Handler("isUnlocked", (ObjectContext ctx) => Task.CompletedTask)
        .Build();
}

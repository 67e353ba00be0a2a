using Restate.Sdk.Definitions;

namespace Restate.Sdk.Conformance.Services.Contracts;

/// <summary>
/// <c>BlockAndWaitWorkflow</c>: the run stores its input, waits on the durable promise <c>p</c> and returns its
/// value; <c>unblock</c> resolves the promise.
/// </summary>
internal static class BlockAndWaitWorkflow
{
    public const string Name = "BlockAndWaitWorkflow";

    private const string PromiseName = "p";
    private static readonly StateKey<string> Input = new("input", Serde.String);
    private static readonly Serde<string?> NullableString = Serde.Json(ConformanceJson.Default.String);

    public static ServiceDefinition Definition() => ServiceDefinition.ForWorkflow(Name)
        .Run("run", async (WorkflowContext ctx, string input) =>
        {
            ctx.Set(Input, input);
            var output = await ctx.Promise(PromiseName, Serde.String).GetAsync();
            var peeked = await ctx.Promise(PromiseName, Serde.String).PeekAsync();
            if (!peeked.IsCompleted)
            {
                throw new TerminalException("Durable promise should be completed");
            }
            return output;
        }, Serde.String, Serde.String)
        .SharedHandler("unblock", async (SharedWorkflowContext ctx, string output) =>
            await ctx.Promise(PromiseName, Serde.String).ResolveAsync(output), Serde.String)
        .SharedHandler("getState", async (SharedWorkflowContext ctx) => await ctx.GetAsync(Input), NullableString)
        .Build();
}

using Restate.Sdk.Analyzers.Tests.Infrastructure;
using static Restate.Sdk.Analyzers.Tests.Infrastructure.AnalyzerHarness;

namespace Restate.Sdk.Analyzers.Tests;

public sealed class RunClosureContextTests
{
    [Fact]
    public Task ContextInsideRunClosure_InBuilderHandlerLambda_IsReported() => VerifyAsync(Snippets.ObjectHandler("""
                    await ctx.RunAsync("sleep", async _ => await {|RESTATE108:ctx|}.SleepAsync(TimeSpan.FromSeconds(1)));
                    var id = await ctx.RunAsync("id", _ => Task.FromResult({|RESTATE108:ctx|}.Random.NewGuid().ToString()), Serde.String);
                    await ctx.RunAsync("log", _ =>
                    {
                        Console.WriteLine({|RESTATE108:ctx|}.Logger);
                        {|RESTATE108:ctx|}.Set(new StateKey<string>("state", Serde.String), "value");
                        return Task.CompletedTask;
                    });
        """));

    [Fact]
    public Task ContextLocalInsideRunClosure_InMethodTakingContext_IsReported() => VerifyAsync(Snippets.ContextMethod("""
                var alias = context;
                request += await context.RunAsync("id", _ => Task.FromResult({|RESTATE108:alias|}.Random.Next().ToString()), Serde.String);
        """));

    [Fact]
    public Task ContextInLocalFunctionUsedAsRunClosure_IsReported() => VerifyAsync(Snippets.ObjectHandler("""
                    Task<string> Save(CancellationToken cancellation) => Task.FromResult({|RESTATE108:ctx|}.Random.Next().ToString());
                    await ctx.RunAsync("group", Save, Serde.String);
                    await ctx.RunAsync("lambda", cancellation => Save(cancellation), Serde.String);
        """));

    [Fact]
    public Task ContextInNestedRunClosures_IsReportedOncePerUse() => VerifyAsync(Snippets.ObjectHandler("""
                    await ctx.RunAsync("outer", async outer =>
                        await {|RESTATE108:ctx|}.RunAsync("inner", inner => Task.FromResult({|RESTATE108:ctx|}.Random.Next()), Serde.Int32), Serde.Int32);
        """));

    [Fact]
    public Task ContextFieldInsideRunClosure_IsReported() => VerifyAsync("""
        public sealed class Holder(ObjectContext context)
        {
            private readonly ObjectContext _context = context;

            public DurableFuture<int> Draw() => _context.RunAsync("draw", _ => Task.FromResult({|RESTATE108:_context|}.Random.Next()), Serde.Int32);
        }
        """);

    [Fact]
    public Task InvocationValuesReadInsideRunClosure_AreNotReported() => VerifyAsync(Snippets.ObjectHandler("""
                    await ctx.RunAsync("record", _ =>
                    {
                        Console.WriteLine($"{ctx.Key} {ctx.InvocationId} {ctx.Headers.Count}");
                        return Task.CompletedTask;
                    });
        """));

    [Fact]
    public Task ValuesCopiedBeforeRunAsync_AndClosureOwnParameters_AreNotReported() => VerifyAsync(Snippets.ObjectHandler("""
                    var key = ctx.Key;
                    var saved = await ctx.RunAsync("save", _ =>
                    {
                        Func<Context, string> describe = c => c.InvocationId;
                        return Task.FromResult(key);
                    }, Serde.String);
        """));

    [Fact]
    public async Task ContextInsideRunClosure_Message_NamesTheContextAndTheFix()
    {
        var diagnostic = Assert.Single(await AnalyzeSnippetAsync(Snippets.ObjectHandler(
            "        await ctx.RunAsync(\"draw\", _ => Task.FromResult(ctx.Random.Next()), Serde.Int32);")));

        Assert.Equal(
            "'ctx' is a Restate context used inside a RunAsync closure, where its operations are rejected; do durable steps in the handler and pass their results into the closure in locals",
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }
}

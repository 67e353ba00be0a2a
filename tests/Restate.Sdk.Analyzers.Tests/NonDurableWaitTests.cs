using Restate.Sdk.Analyzers.Tests.Infrastructure;
using static Restate.Sdk.Analyzers.Tests.Infrastructure.AnalyzerHarness;

namespace Restate.Sdk.Analyzers.Tests;

public sealed class NonDurableWaitTests
{
    [Fact]
    public Task DelayAndSleep_InBuilderHandlerLambda_AreReported() => VerifyAsync(Snippets.ObjectHandler("""
                    await {|RESTATE102:Task.Delay|}(TimeSpan.FromSeconds(1));
                    {|RESTATE102:Thread.Sleep|}(10);
        """));

    [Fact]
    public Task Delay_InMethodTakingContext_IsReported() => VerifyAsync(Snippets.ContextMethod("""
                await {|RESTATE102:Task.Delay|}(100, CancellationToken.None);
        """));

    [Fact]
    public Task DurableSleepAndDelayInsideRunAsync_AreNotReported() => VerifyAsync(Snippets.ObjectHandler("""
                    await ctx.SleepAsync(TimeSpan.FromSeconds(1));
                    await ctx.RunAsync("backoff", cancellation => Task.Delay(10, cancellation));
        """));

    [Fact]
    public Task Delay_OutsideHandlerCode_IsNotReported() => VerifyAsync(Snippets.PlainMethod("""
                await Task.Delay(1);
        """));

    [Fact]
    public async Task Delay_Message_SuggestsSleepAsync()
    {
        var diagnostic = Assert.Single(await AnalyzeSnippetAsync(Snippets.ObjectHandler("        await Task.Delay(1);")));

        Assert.Equal(
            "'Task.Delay()' is not a durable timer: it waits again on every replay and keeps the invocation from suspending; use 'await ctx.SleepAsync(…)', a durable timer",
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }
}

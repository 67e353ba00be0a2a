using Restate.Sdk.Analyzers.Tests.Infrastructure;
using static Restate.Sdk.Analyzers.Tests.Infrastructure.AnalyzerHarness;

namespace Restate.Sdk.Analyzers.Tests;

public sealed class ClockReadTests
{
    [Fact]
    public Task ClockReads_InBuilderHandlerLambda_AreReported() => VerifyAsync(Snippets.ObjectHandler("""
                    var a = {|RESTATE100:DateTime.UtcNow|};
                    var b = {|RESTATE100:DateTime.Now|}.Ticks;
                    var c = {|RESTATE100:DateTime.Today|};
                    var d = {|RESTATE100:DateTimeOffset.UtcNow|};
                    var e = {|RESTATE100:DateTimeOffset.Now|};
                    var f = {|RESTATE100:TimeProvider.System|}.GetUtcNow();
        """));

    [Fact]
    public Task ElapsedTimeReads_InBuilderHandlerLambda_AreReported() => VerifyAsync(Snippets.ObjectHandler("""
                    var watch = {|RESTATE100:Stopwatch.StartNew|}();
                    var other = {|RESTATE100:new Stopwatch|}();
                    var start = {|RESTATE100:Stopwatch.GetTimestamp|}();
                    var elapsed = {|RESTATE100:Stopwatch.GetElapsedTime|}(start);
                    var ticks = {|RESTATE100:Environment.TickCount64|} + {|RESTATE100:Environment.TickCount|};
        """));

    [Fact]
    public Task ClockRead_InMethodTakingContext_IsReported() => VerifyAsync(Snippets.ContextMethod("""
                if ({|RESTATE100:DateTime.UtcNow|}.Hour > 12)
                {
                    request += "pm";
                }
        """));

    [Fact]
    public Task ClockRead_InsideRunAsyncClosure_IsNotReported() => VerifyAsync(Snippets.ObjectHandler("""
                    var now = await ctx.RunAsync("now", _ => Task.FromResult(DateTime.UtcNow.ToString("O")), Serde.String);
                    await ctx.RunAsync("log", async cancellation =>
                    {
                        var watch = Stopwatch.StartNew();
                        await Task.Yield();
                        Console.WriteLine($"{DateTimeOffset.Now} {watch.Elapsed}");
                    });
        """));

    [Fact]
    public Task ClockRead_OutsideHandlerCode_IsNotReported() => VerifyAsync(Snippets.PlainMethod("""
                var stamp = DateTime.UtcNow.ToString("O") + Stopwatch.GetTimestamp();
        """));

    [Fact]
    public async Task ClockRead_Message_NamesTheApiAndTheContextsNowAsync()
    {
        var diagnostic = Assert.Single(await AnalyzeSnippetAsync(Snippets.ContextMethod("        var now = DateTime.UtcNow;")));

        Assert.Equal(
            "'DateTime.UtcNow' reads the machine clock, which gives another value when the handler replays; use 'await context.NowAsync()', which is journaled",
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }
}

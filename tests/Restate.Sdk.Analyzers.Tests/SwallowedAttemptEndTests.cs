using Restate.Sdk.Analyzers.Tests.Infrastructure;
using static Restate.Sdk.Analyzers.Tests.Infrastructure.AnalyzerHarness;

namespace Restate.Sdk.Analyzers.Tests;

public sealed class SwallowedAttemptEndTests
{
    [Fact]
    public Task CatchAllWithoutRethrow_InHandlerCode_IsReported() => VerifyAsync(Snippets.ObjectHandler("""
                    try { await ctx.SleepAsync(TimeSpan.FromSeconds(1)); } {|RESTATE109:catch|} { request = "swallowed"; }
                    try { await ctx.SleepAsync(TimeSpan.FromSeconds(1)); } {|RESTATE109:catch (Exception)|} { request = "swallowed"; }
                    try { await ctx.SleepAsync(TimeSpan.FromSeconds(1)); } {|RESTATE109:catch (SystemException e)|} { request = e.Message; }
                    try { await ctx.SleepAsync(TimeSpan.FromSeconds(1)); } {|RESTATE109:catch (OperationCanceledException)|} { request = "cancelled"; }
                    try { await ctx.SleepAsync(TimeSpan.FromSeconds(1)); } {|RESTATE109:catch (AttemptEndedException)|} { request = "ended"; }
        """) + Snippets.ContextMethod("""
                try { await context.SleepAsync(TimeSpan.FromSeconds(1)); } {|RESTATE109:catch (Exception e)|} { request = e.Message; }
        """));

    [Fact]
    public Task CatchThatRethrowsFiltersOrCatchesSomethingNarrower_IsNotReported() => VerifyAsync(Snippets.ObjectHandler("""
                    try { await ctx.SleepAsync(TimeSpan.FromSeconds(1)); } catch (Exception) { request = "logged"; throw; }
                    try { await ctx.SleepAsync(TimeSpan.FromSeconds(1)); } catch (Exception e) { throw new InvalidOperationException("wrapped", e); }
                    try { await ctx.SleepAsync(TimeSpan.FromSeconds(1)); } catch (Exception e) when (e is not AttemptEndedException) { request = "handled"; }
                    try { await ctx.SleepAsync(TimeSpan.FromSeconds(1)); } catch (TerminalException e) { request = e.Message; }
                    try { await ctx.SleepAsync(TimeSpan.FromSeconds(1)); } catch (InvalidOperationException) { request = "narrow"; }
        """));

    [Fact]
    public Task ThrowOnlyInsideANestedLambda_DoesNotCountAsRethrow() => VerifyAsync(Snippets.ObjectHandler("""
                    try { await ctx.SleepAsync(TimeSpan.FromSeconds(1)); }
                    {|RESTATE109:catch (Exception)|}
                    {
                        Func<int> later = () => throw new InvalidOperationException("not now");
                        request = later.ToString() ?? "";
                    }
        """));

    [Fact]
    public Task CatchAll_InsideRunClosureOrPlainCode_IsNotReported() => VerifyAsync(Snippets.ObjectHandler("""
                    await ctx.RunAsync("io", async cancellation =>
                    {
                        try { await Task.Delay(1, cancellation); } catch (Exception) { }
                    });
        """) + Snippets.PlainMethod("""
                try { await Task.Yield(); } catch { request = "fine here"; }
        """));
}

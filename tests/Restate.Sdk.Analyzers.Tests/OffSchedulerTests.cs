using Restate.Sdk.Analyzers.Tests.Infrastructure;
using static Restate.Sdk.Analyzers.Tests.Infrastructure.AnalyzerHarness;

namespace Restate.Sdk.Analyzers.Tests;

public sealed class OffSchedulerTests
{
    [Fact]
    public Task ThreadEscapes_InBuilderHandlerLambda_AreReported() => VerifyAsync(Snippets.ObjectHandler("""
                    var computed = await {|RESTATE106:Task.Run|}(() => request.Length);
                    var started = await Task.Factory.{|RESTATE106:StartNew|}(() => request.Length);
                    var thread = {|RESTATE106:new Thread|}(() => Console.WriteLine(request));
                    {|RESTATE106:ThreadPool.QueueUserWorkItem|}(_ => Console.WriteLine(request));
        """));

    [Fact]
    public Task TaskRun_InMethodTakingContext_IsReported() => VerifyAsync(Snippets.ContextMethod("""
                await {|RESTATE106:Task.Run|}(async () => await context.SleepAsync(TimeSpan.FromSeconds(1)));
        """));

    [Fact]
    public Task TaskRun_InsideRunAsyncClosureOrPlainCode_IsNotReported() => VerifyAsync(Snippets.ObjectHandler("""
                    var length = await ctx.RunAsync("cpu", _ => Task.Run(() => request.Length), Serde.Int32);
        """) + Snippets.PlainMethod("""
                await Task.Run(() => request.Length);
        """));
}

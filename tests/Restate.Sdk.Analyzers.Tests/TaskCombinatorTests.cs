using Restate.Sdk.Analyzers.Tests.Infrastructure;
using static Restate.Sdk.Analyzers.Tests.Infrastructure.AnalyzerHarness;

namespace Restate.Sdk.Analyzers.Tests;

public sealed class TaskCombinatorTests
{
    private const string Branch = """
                    async Task<string> Branch(string name)
                    {
                        await ctx.SleepAsync(TimeSpan.FromMilliseconds(10), name);
                        return name;
                    }

        """;

    [Fact]
    public Task WhenAllAndWhenAny_OverBranchesAwaitingDurableFutures_AreReported() => VerifyAsync(Snippets.ObjectHandler(Branch + """
                    var both = await {|RESTATE104:Task.WhenAll|}(Branch("a"), Branch("b"));
                    var first = await {|RESTATE104:Task.WhenAny|}(Branch("c"), Branch("d"));
        """));

    [Fact]
    public Task WhenAny_OverTasksWrappingDurableFutures_IsReported() => VerifyAsync(Snippets.ObjectHandler("""
                    var timers = new[] { ctx.SleepAsync(TimeSpan.FromSeconds(1)), ctx.SleepAsync(TimeSpan.FromSeconds(2)) };
                    await {|RESTATE104:Task.WhenAny|}(timers.Select(async timer => await timer));
        """));

    [Fact]
    public Task WhenAll_OverTasksCollectedFromHelpersTakingTheContext_IsReported() => VerifyAsync("""
        public static class Steps
        {
            public static async Task StepAsync(Context context)
            {
                var tasks = new List<Task>();
                for (var i = 0; i < 3; i++)
                {
                    tasks.Add(NotifyAsync(context, i));
                }
                var single = NotifyAsync(context, 9);
                await {|RESTATE104:Task.WhenAll|}(tasks);
                await {|RESTATE104:Task.WhenAll|}(single);
            }

            private static async Task NotifyAsync(Context context, int i) =>
                await context.CallAsync(Target.ForService("notifier", "notify"), i, Serde.Int32, Serde.Int32);
        }
        """);

    [Fact]
    public Task WhenAll_OverNonDurableTasks_IsNotReported() => VerifyAsync(Snippets.ObjectHandler("""
                    var values = await Task.WhenAll(Task.FromResult(ctx.Key), Task.FromResult(ctx.InvocationId));
        """));

    [Fact]
    public Task WhenAll_InsideRunAsyncClosure_IsNotReported() => VerifyAsync(Snippets.ObjectHandler("""
                    await ctx.RunAsync("both", cancellation => Task.WhenAll(Task.Delay(1, cancellation), Task.Delay(2, cancellation)));
        """));

    [Fact]
    public Task DurableFutureCombinators_AreNotReported() => VerifyAsync(Snippets.ObjectHandler("""
                    var a = ctx.RunAsync("a", _ => Task.FromResult(1), Serde.Int32);
                    var b = ctx.RunAsync("b", _ => Task.FromResult(2), Serde.Int32);
                    var all = await DurableFuture.All(a, b);
                    var first = await DurableFuture.Race(a, b);
                    await DurableFuture.AllSettled(a, b);
        """));

    [Fact]
    public Task SynchronousWaits_OnDurableWork_AreReported() => VerifyAsync(Snippets.ObjectHandler(Branch + """
                    {|RESTATE105:Task.WaitAll|}(Branch("a"), Branch("b"));
                    {|RESTATE105:Task.WaitAny|}(Branch("c"));
                    Branch("d").{|RESTATE105:Wait|}();
                    var e = Branch("e").{|RESTATE105:Result|};
                    var f = Branch("f").GetAwaiter().{|RESTATE105:GetResult|}();
                    var state = ctx.GetAsync(new StateKey<string>("state", Serde.String)).GetAwaiter().{|RESTATE105:GetResult|}();
        """));

    [Fact]
    public Task SynchronousWaits_OnNonDurableTasks_AreNotReported() => VerifyAsync(Snippets.ObjectHandler("""
                    var value = Task.FromResult(ctx.Key).Result;
                    Task.CompletedTask.Wait();
                    Task.WaitAll(Task.CompletedTask);
        """));

    [Fact]
    public async Task WhenAll_Message_SuggestsDurableFutureAll()
    {
        var diagnostic = Assert.Single(await AnalyzeSnippetAsync(Snippets.ObjectHandler("        await Task.WhenAll(new[] { ctx.SleepAsync(TimeSpan.FromSeconds(1)) }.Select(async timer => await timer));")));

        Assert.Equal("RESTATE104", diagnostic.Id);
        Assert.Equal(
            "'Task.WhenAll' combines tasks that await durable futures; combine the futures themselves with 'DurableFuture.All' (or 'DurableFuture.AllSettled')",
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }
}

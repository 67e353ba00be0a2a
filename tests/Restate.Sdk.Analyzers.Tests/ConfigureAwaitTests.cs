using Restate.Sdk.Analyzers.Tests.Infrastructure;
using static Restate.Sdk.Analyzers.Tests.Infrastructure.AnalyzerHarness;

namespace Restate.Sdk.Analyzers.Tests;

public sealed class ConfigureAwaitTests
{
    [Fact]
    public Task ConfigureAwaitFalse_InBuilderHandlerLambda_IsReported() => VerifyAsync(Snippets.ObjectHandler("""
                    async Task<string> KeyAsync() => await ctx.GetAsync(new StateKey<string>("k", Serde.String)) ?? "";
                    var key = await KeyAsync().{|RESTATE107:ConfigureAwait(false)|};
                    await Task.CompletedTask.{|RESTATE107:ConfigureAwait(false)|};
                    await new ValueTask<int>(1).{|RESTATE107:ConfigureAwait(false)|};
                    await Task.CompletedTask.{|RESTATE107:ConfigureAwait(ConfigureAwaitOptions.None)|};
                    await Task.CompletedTask.{|RESTATE107:ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing)|};
        """));

    [Fact]
    public Task ConfigureAwaitFalse_OnAsyncEnumerable_IsReported() => VerifyAsync(Snippets.ContextMethod("""
                static async IAsyncEnumerable<int> Numbers()
                {
                    await Task.Yield();
                    yield return 1;
                }
                await foreach (var number in Numbers().{|RESTATE107:ConfigureAwait(false)|})
                {
                    request += number;
                }
        """));

    [Fact]
    public Task ConfigureAwaitThatStaysOnTheScheduler_IsNotReported() => VerifyAsync(Snippets.ObjectHandler("""
                    var flag = request.Length > 3;
                    await Task.CompletedTask.ConfigureAwait(true);
                    await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext);
                    await Task.CompletedTask.ConfigureAwait(flag);
        """));

    [Fact]
    public Task ConfigureAwaitFalse_InsideRunAsyncClosureOrPlainCode_IsNotReported() => VerifyAsync(Snippets.ObjectHandler("""
                    await ctx.RunAsync("io", async cancellation => await Task.Delay(1, cancellation).ConfigureAwait(false));
        """) + Snippets.PlainMethod("""
                await Task.Yield();
                await Task.CompletedTask.ConfigureAwait(false);
        """));
}

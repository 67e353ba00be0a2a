using Restate.Sdk.Analyzers.Tests.Infrastructure;
using static Restate.Sdk.Analyzers.Tests.Infrastructure.AnalyzerHarness;

namespace Restate.Sdk.Analyzers.Tests;

public sealed class RandomnessTests
{
    [Fact]
    public Task RandomSources_InBuilderHandlerLambda_AreReported() => VerifyAsync(Snippets.ObjectHandler("""
                    var id = {|RESTATE101:Guid.NewGuid|}();
                    var v7 = {|RESTATE101:Guid.CreateVersion7|}();
                    var dice = {|RESTATE101:new Random|}().Next(6);
                    var coin = {|RESTATE101:Random.Shared|}.Next(2);
                    var secret = {|RESTATE101:RandomNumberGenerator.GetInt32|}(100);
                    Func<Guid> factory = {|RESTATE101:Guid.NewGuid|};
        """));

    [Fact]
    public Task RandomSource_InLambdaNestedInHandler_IsReported() => VerifyAsync(Snippets.ObjectHandler("""
                    var ids = Enumerable.Range(0, 3).Select(_ => {|RESTATE101:Guid.NewGuid|}()).ToList();
        """));

    [Fact]
    public Task DeterministicRandomness_IsNotReported() => VerifyAsync(Snippets.ObjectHandler("""
                    var id = ctx.Random.NewGuid();
                    var dice = ctx.Random.Next(6);
                    var seeded = new Random(42).Next();
                    var parsed = Guid.Parse("9b2f5a8e-3c1d-4e6f-8a7b-0c9d8e7f6a5b");
        """));

    [Fact]
    public Task RandomSource_InsideRunAsyncClosure_IsNotReported() => VerifyAsync(Snippets.ObjectHandler("""
                    var token = await ctx.RunAsync("token", _ => Task.FromResult(Guid.NewGuid().ToString()), Serde.String);
        """));

    [Fact]
    public Task RandomSource_OutsideHandlerCode_IsNotReported() => VerifyAsync(Snippets.PlainMethod("""
                var id = Guid.NewGuid();
                var coin = Random.Shared.Next(2);
        """));

    [Fact]
    public async Task NewGuid_Message_SuggestsTheContextsRandom()
    {
        var diagnostic = Assert.Single(await AnalyzeSnippetAsync(Snippets.ObjectHandler("        var id = Guid.NewGuid();")));

        Assert.Equal(
            "'Guid.NewGuid()' is random, so it gives another value when the handler replays; use 'ctx.Random.NewGuid()'",
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }
}

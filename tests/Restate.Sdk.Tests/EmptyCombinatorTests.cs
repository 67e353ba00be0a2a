namespace Restate.Sdk.Tests;

/// <summary>All and AllSettled over no futures complete at once (as the TypeScript SDK's since 1.12); Any and Race cannot.</summary>
public sealed class EmptyCombinatorTests
{
    [Fact]
    public async Task All_NoFutures_CompletesAtOnceWithNoValues()
    {
        var values = await DurableFuture.All<int>();
        await DurableFuture.All();
        await DurableFuture.AllSettled();

        Assert.Empty(values);
        Assert.True(DurableFuture.All().GetAwaiter().IsCompleted);
    }

    [Fact]
    public async Task All_OfEmptyCombinators_CompletesAtOnce()
    {
        var nested = DurableFuture.All(DurableFuture.All(), DurableFuture.AllSettled());
        var mapped = DurableFuture.All<string>().Map(values => values.Length);

        await nested;
        Assert.Equal(0, await mapped);
        Assert.Empty(await DurableFuture.All<string>().WithTimeout(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void AnyAndRace_NoFutures_SayTheyNeedOne()
    {
        var any = Assert.Throws<ArgumentException>(() => DurableFuture.Any<int>());
        var race = Assert.Throws<ArgumentException>(() => DurableFuture.Race());

        Assert.StartsWith("Any and Race need at least one future", any.Message, StringComparison.Ordinal);
        Assert.StartsWith("Any and Race need at least one future", race.Message, StringComparison.Ordinal);
    }
}

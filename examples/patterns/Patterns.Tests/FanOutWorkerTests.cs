using Patterns.ParallelizeWork;
using Restate.Sdk;

namespace Patterns.Tests;

public sealed class FanOutWorkerTests(ShortTimingsFixture restate) : IClassFixture<ShortTimingsFixture>
{
    [Fact]
    public async Task Run_TwelveChunks_RunsEachOnceAndAnswersTheirResultsInChunkOrderWithTheTotal()
    {
        var job = PatternsFixtureBase.NewId("job");
        // Chunk i has i + 1 words, so every result says which chunk it came from.
        var chunks = Enumerable.Range(0, 12).Select(index => string.Join(' ', Enumerable.Repeat("word", index + 1))).ToList();

        var result = await restate.Client.ServiceClient<FanOutWorkerIngressClient>().RunAsync(new WorkRequest(job, chunks));

        Assert.Equal(Enumerable.Range(0, 12).Select(index => new ChunkResult(index, index + 1)), result.Chunks);
        Assert.Equal(78, result.TotalWords);
        Assert.Equal(Enumerable.Range(0, 12), restate.Chunks.ProcessedChunksOf(job).Order());
    }

    [Fact]
    public async Task Run_NoChunks_FailsWith400()
    {
        var failure = await Assert.ThrowsAsync<TerminalException>(
            () => restate.Client.ServiceClient<FanOutWorkerIngressClient>().RunAsync(new WorkRequest(PatternsFixtureBase.NewId("job"), [])));

        Assert.Equal((400, $"A job needs a jobId and 1 to {FanOutWorker.MaxChunks} chunks, none of them null."), (failure.Code, failure.Message));
    }
}

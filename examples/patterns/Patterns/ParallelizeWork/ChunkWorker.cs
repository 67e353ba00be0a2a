using Restate.Sdk;

namespace Patterns.ParallelizeWork;

/// <summary>Works on one chunk; every chunk of a job is its own invocation, so the chunks run in parallel. Only handlers call it (ingress-private).</summary>
[Service("ChunkWorker", IngressPrivate = true)]
public sealed partial class ChunkWorker(IChunkProcessor processor)
{
    /// <summary>Processes the chunk.</summary>
    [Handler("process")]
    public async Task<ChunkResult> ProcessAsync(Context ctx, Chunk chunk) =>
        new(chunk.Index, await ctx.RunAsync("count words", cancellation => processor.CountWordsAsync(chunk, cancellation)));
}

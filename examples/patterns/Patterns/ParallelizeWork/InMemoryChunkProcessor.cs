using System.Collections.Concurrent;

namespace Patterns.ParallelizeWork;

/// <summary>Work done in this process: counts words, and records which chunks of a job it processed, in the order it did.</summary>
public sealed partial class InMemoryChunkProcessor(ILogger<InMemoryChunkProcessor> logger) : IChunkProcessor
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _processed = new();

    /// <summary>The indexes of the job's chunks processed so far, in the order they were processed.</summary>
    public IReadOnlyList<int> ProcessedChunksOf(string jobId) => _processed.TryGetValue(jobId, out var chunks) ? [.. chunks] : [];

    /// <inheritdoc />
    public Task<int> CountWordsAsync(Chunk chunk, CancellationToken cancellationToken)
    {
        _processed.GetOrAdd(chunk.JobId, _ => new ConcurrentQueue<int>()).Enqueue(chunk.Index);
        LogProcessed(chunk.JobId, chunk.Index);
        return Task.FromResult(chunk.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Length);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: chunk {Index} processed")]
    private partial void LogProcessed(string jobId, int index);
}

namespace Patterns.ParallelizeWork;

/// <summary>Does the work on one chunk.</summary>
public interface IChunkProcessor
{
    /// <summary>Counts the words of the chunk.</summary>
    Task<int> CountWordsAsync(Chunk chunk, CancellationToken cancellationToken);
}

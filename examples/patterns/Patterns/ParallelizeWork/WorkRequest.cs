namespace Patterns.ParallelizeWork;

/// <summary>A job split into chunks of text, each worked on by a sub-task of its own.</summary>
public sealed record WorkRequest(string JobId, IReadOnlyList<string> Chunks);

/// <summary>One chunk of a job, with its place in the job.</summary>
public sealed record Chunk(string JobId, int Index, string Text);

/// <summary>What a sub-task found in its chunk.</summary>
public sealed record ChunkResult(int Index, int Words);

/// <summary>The job's result: every chunk's result in the order of the chunks, and their aggregate.</summary>
public sealed record WorkResult(IReadOnlyList<ChunkResult> Chunks, int TotalWords);

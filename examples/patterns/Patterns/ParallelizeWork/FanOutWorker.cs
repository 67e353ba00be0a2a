using Restate.Sdk;

namespace Patterns.ParallelizeWork;

/// <summary>Splits a job into sub-tasks, runs them in parallel (fan-out), waits for all (fan-in) and aggregates.</summary>
[Service("FanOutWorker")]
public sealed partial class FanOutWorker
{
    /// <summary>The most chunks a job may have: each is an invocation and a journal entry of this one.</summary>
    public const int MaxChunks = 1000;

    /// <summary>Counts the words of every chunk in parallel, then adds them up.</summary>
    /// <returns>The chunks' results in the order of the chunks, and the total.</returns>
    /// <exception cref="TerminalException">400: no job id, or not 1 to <see cref="MaxChunks"/> chunks.</exception>
    [Handler("run")]
    public static async Task<WorkResult> RunAsync(Context ctx, WorkRequest request)
    {
        if (request is null || string.IsNullOrWhiteSpace(request.JobId) || request.Chunks is not { Count: > 0 and <= MaxChunks } chunks || chunks.Any(chunk => chunk is null))
        {
            throw new TerminalException($"A job needs a jobId and 1 to {MaxChunks} chunks, none of them null.", 400);
        }

        // Fan-out: every call is journaled when it is made, without waiting, so all sub-tasks are under way at once and
        // a retry of this invocation finds them in the journal instead of starting them again.
        var calls = new DurableFuture<ChunkResult>[chunks.Count];
        for (var index = 0; index < chunks.Count; index++)
        {
            calls[index] = ctx.ServiceClient<ChunkWorkerClient>().ProcessAsync(new Chunk(request.JobId, index, chunks[index]));
        }

        // Fan-in: the results come back in the order of the calls, whichever sub-task finished first.
        var results = await DurableFuture.All(calls);
        return new WorkResult(results, results.Sum(result => result.Words));
    }
}

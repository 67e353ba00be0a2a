using System.Diagnostics;

namespace Holiday.LoadTest.Load;

/// <summary>The outcome of one closed-loop phase.</summary>
/// <param name="Elapsed">From the first request sent to the last answer checked.</param>
/// <param name="LatenciesMs">Per request, in the order the requests were started: send to checked answer.</param>
internal sealed record ClosedLoopResult(TimeSpan Elapsed, double[] LatenciesMs);

/// <summary>
/// A closed loop: <c>concurrency</c> workers, each sending its next request as soon as its previous one has answered,
/// until <c>requests</c> requests have answered. The first failed request cancels the others and fails the phase.
/// </summary>
internal static class ClosedLoop
{
    public static async Task<ClosedLoopResult> RunAsync(TripClient client, int requests, int concurrency, Func<int, string> tripId,
        CancellationToken ct)
    {
        var latencies = new double[requests];
        var next = -1;
        Exception? failure = null;
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(ct);

        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, Math.Min(concurrency, requests)).Select(_ => Task.Run(WorkAsync, CancellationToken.None)).ToArray();
        await Task.WhenAll(workers);
        var elapsed = Stopwatch.GetElapsedTime(started);

        ct.ThrowIfCancellationRequested();
        return failure is null ? new ClosedLoopResult(elapsed, latencies) : throw failure;

        async Task WorkAsync()
        {
            try
            {
                for (var i = Interlocked.Increment(ref next); i < requests && !abort.IsCancellationRequested; i = Interlocked.Increment(ref next))
                {
                    var sent = Stopwatch.GetTimestamp();
                    await client.ReserveAsync(tripId(i), abort.Token);
                    latencies[i] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                }
            }
            catch (OperationCanceledException) when (abort.IsCancellationRequested)
            {
                // Another worker failed, or the run was cancelled.
            }
            catch (TripNotBookedException e)
            {
                Interlocked.CompareExchange(ref failure, e, null);
                await abort.CancelAsync();
            }
        }
    }
}

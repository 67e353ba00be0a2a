using System.Diagnostics;

namespace Restate.Sdk.Conformance.Tests.Infrastructure;

/// <summary>Polling with a bounded deadline instead of sleeping: repeats an attempt until it stops throwing.</summary>
public static class Eventually
{
    private static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan DefaultAttemptTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Runs <paramref name="attempt"/> until it completes without throwing (an assertion failure, an HTTP error or
    /// the per-attempt timeout all count as "not yet"), then returns its result.
    /// </summary>
    /// <param name="what">What is awaited, for the failure message.</param>
    /// <param name="attempt">One try; its token is cancelled after <paramref name="attemptTimeout"/>.</param>
    /// <param name="deadline">How long to keep trying; 60 s by default.</param>
    /// <param name="attemptTimeout">How long one try may take; 10 s by default.</param>
    public static async Task<T> SucceedsAsync<T>(string what, Func<CancellationToken, Task<T>> attempt,
        TimeSpan? deadline = null, TimeSpan? attemptTimeout = null)
    {
        var elapsed = Stopwatch.StartNew();
        var limit = deadline ?? DefaultDeadline;
        Exception? last = null;
        var attempts = 0;
        while (elapsed.Elapsed < limit)
        {
            attempts++;
            using var timeout = new CancellationTokenSource(attemptTimeout ?? DefaultAttemptTimeout);
            try
            {
                return await attempt(timeout.Token);
            }
#pragma warning disable CA1031 // Every failure of an attempt means "not yet"; the last one is reported at the deadline.
            catch (Exception e)
#pragma warning restore CA1031
            {
                last = e;
            }
            await Task.Delay(Interval);
        }
        throw new TimeoutException($"Not true within {limit.TotalSeconds:0} s ({attempts} attempts): {what}. Last failure: {last}", last);
    }

    /// <summary>As <see cref="SucceedsAsync{T}"/>, for attempts without a result.</summary>
    public static Task SucceedsAsync(string what, Func<CancellationToken, Task> attempt, TimeSpan? deadline = null,
        TimeSpan? attemptTimeout = null) =>
        SucceedsAsync(what, async ct =>
        {
            await attempt(ct);
            return true;
        }, deadline, attemptTimeout);
}

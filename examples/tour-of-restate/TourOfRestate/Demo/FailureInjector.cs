using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace TourOfRestate.Demo;

/// <summary>
/// Makes <c>addTicket</c> fail after its <c>reserve</c> call for the first <see cref="TourOptions.FailuresAfterReserve"/>
/// attempts of each invocation, as if the service crashed there. It counts in this process on purpose: a real crash
/// is not journaled either.
/// </summary>
public sealed class FailureInjector(IOptions<TourOptions> options)
{
    private readonly ConcurrentDictionary<string, int> _arrivals = new(StringComparer.Ordinal);
    private int _failures;

    /// <summary>How many failures were injected so far, over all invocations.</summary>
    public int Failures => Volatile.Read(ref _failures);

    /// <summary>Throws while the invocation has reached this point no more than the configured number of times.</summary>
    /// <param name="invocationId">The invocation being run.</param>
    /// <exception cref="InvalidOperationException">The injected failure; Restate retries the invocation.</exception>
    public void AfterReserve(string invocationId)
    {
        var failures = options.Value.FailuresAfterReserve;
        if (failures <= 0)
        {
            return;
        }
        var arrival = _arrivals.AddOrUpdate(invocationId, 1, (_, count) => count + 1);
        if (arrival > failures)
        {
            _arrivals.TryRemove(invocationId, out _);
            return;
        }
        Interlocked.Increment(ref _failures);
        throw new InvalidOperationException($"addTicket failed on purpose after the reserve call ({arrival} of {failures}, Tour:FailuresAfterReserve)");
    }
}

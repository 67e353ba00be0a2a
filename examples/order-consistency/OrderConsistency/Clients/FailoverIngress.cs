using System.Net.Http;
using Restate.Sdk;
using Restate.Sdk.Client;

namespace OrderConsistency.Clients;

/// <summary>
/// Several Restate ingress endpoints (nodes of one cluster, or regions) and the retry rule of the order clients: a call
/// that gets no answer (connection refused or dropped, timeout), a 404 or a 5xx is sent again, with the same
/// idempotency key, to the next endpoint, so it runs at most once whichever endpoint received it first.
/// </summary>
/// <remarks><see cref="RestateClient"/> talks to one ingress and reports the first failure; moving to another endpoint
/// is the caller's choice, made here. Other 4xx answers are the handlers' own (an invalid transition, an unavailable
/// asset) and are returned as they are.</remarks>
public sealed class FailoverIngress : IDisposable
{
    private readonly RestateClient[] _clients;
    private readonly FailoverOptions _options;
    private int _failovers;

    /// <summary>Clients of <paramref name="endpoints"/>, each with its own connection pool.</summary>
    /// <param name="endpoints">The ingress URLs, e.g. <c>http://127.0.0.1:8080/</c>.</param>
    /// <param name="options">Timeouts and bounds; the defaults when null.</param>
    /// <exception cref="ArgumentException">No endpoint.</exception>
    public FailoverIngress(IReadOnlyList<Uri> endpoints, FailoverOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.Count == 0)
        {
            throw new ArgumentException("Give at least one ingress endpoint.", nameof(endpoints));
        }
        _options = options ?? new FailoverOptions();
        Endpoints = endpoints;
        _clients = [.. endpoints.Select(endpoint => RestateClient.Create(endpoint, _options.RequestTimeout))];
    }

    /// <summary>The endpoints, in the order given.</summary>
    public IReadOnlyList<Uri> Endpoints { get; }

    /// <summary>How often a call was sent again to another endpoint.</summary>
    public int Failovers => Volatile.Read(ref _failovers);

    /// <summary>
    /// Makes a call through endpoint <paramref name="endpoint"/>, and on no answer, a 404 or a 5xx through the next
    /// ones in turn, always with <paramref name="idempotencyKey"/>.
    /// </summary>
    /// <typeparam name="T">The answer.</typeparam>
    /// <param name="endpoint">Index of the endpoint to try first.</param>
    /// <param name="idempotencyKey">The key every attempt carries.</param>
    /// <param name="call">The call, e.g. <c>(client, options, ct) =&gt; client.ObjectClient&lt;OrderObjectIngressClient&gt;(id).CloseAsync(options, ct)</c>.</param>
    /// <param name="cancellationToken">Stops retrying.</param>
    /// <exception cref="TerminalException">The handler's own failure (4xx other than 404).</exception>
    /// <exception cref="TimeoutException">No endpoint answered within <see cref="FailoverOptions.GiveUpAfter"/>; the message holds the last error.</exception>
    public async Task<T> CallAsync<T>(int endpoint, string idempotencyKey,
        Func<RestateClient, CallOptions, CancellationToken, Task<T>> call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        var options = new CallOptions { IdempotencyKey = idempotencyKey };
        var started = TimeProvider.System.GetTimestamp();
        for (var attempt = 0; ; attempt++)
        {
            var client = _clients[(endpoint + attempt) % _clients.Length];
            try
            {
                return await call(client, options, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsNoAnswer(e, cancellationToken))
            {
                if (TimeProvider.System.GetElapsedTime(started) > _options.GiveUpAfter)
                {
                    throw new TimeoutException(
                        $"No endpoint answered the call with idempotency key '{idempotencyKey}' within {_options.GiveUpAfter} " +
                        $"({attempt + 1} attempts); the last one, through {client.Ingress}, failed with: {e.Message}", e);
                }
                Interlocked.Increment(ref _failovers);
                // A short pause, longer after each full round: a node that just died needs a moment to be replaced.
                var rounds = Math.Min((attempt + 1) / _clients.Length, 4);
                await Task.Delay(_options.RetryDelay * (rounds + 1), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }

    private static bool IsNoAnswer(Exception e, CancellationToken cancellationToken) => e switch
    {
        HttpRequestException => true,
        // The request timeout, not the caller's token.
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        // A node can answer 404 for a service it has not learned yet, as seen right after a registration (the order
        // handlers never answer 404 themselves); any 5xx is the server's, not a handler's.
        TerminalException terminal => terminal.Code is 404 or >= 500,
        _ => false,
    };
}

/// <summary>Settings of <see cref="FailoverIngress"/>.</summary>
public sealed record FailoverOptions
{
    /// <summary>How long one request may take before it is sent to the next endpoint; 30 seconds by default.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The pause before the first retry; later ones are up to five times as long. 200 ms by default.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>When to stop retrying one call; two minutes by default.</summary>
    public TimeSpan GiveUpAfter { get; init; } = TimeSpan.FromMinutes(2);
}

using System.Net;
using System.Text.Json;
using Holiday.Domain;
using Holiday.Services;
using Restate.Sdk;
using Restate.Sdk.Client;

namespace Holiday.LoadTest.Load;

/// <summary>
/// A trip that was not booked: the run stops, so a broken system is never timed (an invalid operation, so the tool exits
/// with a failed run's code).
/// </summary>
internal sealed class TripNotBookedException(string message, Exception? inner = null) : InvalidOperationException(message, inner);

/// <summary>
/// Books trips through restate-server's ingress with the generated ingress client of <c>trips</c>
/// (<see cref="TripsServiceIngressClient"/>, <c>POST /trips/reserve {"trip_id": …}</c>) over HTTP/1.1 keep-alive, one
/// <see cref="SocketsHttpHandler"/> whose pool holds a connection per worker. Every answer is checked.
/// </summary>
internal sealed class TripClient : IDisposable
{
    /// <summary>No booking may take this long; a request still open then fails the run.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);

    private readonly HttpClient _http;
    private readonly TripsServiceIngressClient _trips;

    public TripClient(Uri ingress, int connections)
    {
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseCookies = false,
            UseProxy = false,
        })
        {
            BaseAddress = ingress,
            Timeout = RequestTimeout,
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        _trips = new RestateClient(_http).ServiceClient<TripsServiceIngressClient>();
    }

    /// <summary>Reserves trip <paramref name="tripId"/> and checks that the answer is
    /// <c>{"status":"success","trip_id":"&lt;tripId&gt;"}</c>.</summary>
    /// <exception cref="TripNotBookedException">A failure, another answer, no answer in time, or a connection failure.</exception>
    public async Task ReserveAsync(string tripId, CancellationToken ct)
    {
        TripResult result;
        try
        {
            result = await _trips.ReserveAsync(new TripRequest(tripId, RunType: null), cancellationToken: ct);
        }
        catch (TerminalException e)
        {
            throw new TripNotBookedException($"trip {tripId}: the ingress answered {e.Code}: {Shorten(e.Message)}", e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new TripNotBookedException($"trip {tripId}: no answer within {RequestTimeout.TotalSeconds:F0} s.", e);
        }
        catch (HttpRequestException e)
        {
            throw new TripNotBookedException($"trip {tripId}: the request failed: {e.Message}", e);
        }
        catch (JsonException e)
        {
            throw new TripNotBookedException($"trip {tripId}: the answer is not a trip result: {e.Message}", e);
        }

        if (result is not { Status: "success" } || result.TripId != tripId)
        {
            throw new TripNotBookedException(
                $"trip {tripId}: expected {{\"status\":\"success\",\"trip_id\":\"{tripId}\"}}, got {result}");
        }
    }

    public void Dispose() => _http.Dispose();

    private static string Shorten(string text) => text.Length > 500 ? text[..500] + "…" : text;
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Holiday.LoadTest.Load;

/// <summary>A trip that was not booked: the run stops, so a broken system is never timed.</summary>
internal sealed class TripNotBookedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Books trips through restate-server's ingress: <c>POST /trips/reserve {"trip_id": …}</c> over HTTP/1.1 keep-alive,
/// one <see cref="SocketsHttpHandler"/> whose pool holds a connection per worker. Every answer is checked.
/// </summary>
internal sealed class TripClient : IDisposable
{
    /// <summary>No booking may take this long; a request still open then fails the run.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpClient _http;

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
    }

    /// <summary>Reserves trip <paramref name="tripId"/> and checks that the answer is
    /// <c>200 {"status":"success","trip_id":"&lt;tripId&gt;"}</c>.</summary>
    /// <exception cref="TripNotBookedException">Any other answer, no answer in time, or a connection failure.</exception>
    public async Task ReserveAsync(string tripId, CancellationToken ct)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes($$"""{"trip_id":"{{tripId}}"}"""));
        content.Headers.ContentType = Json;
        byte[] body;
        HttpStatusCode status;
        try
        {
            using var response = await _http.PostAsync("trips/reserve", content, ct);
            status = response.StatusCode;
            body = await response.Content.ReadAsByteArrayAsync(ct);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new TripNotBookedException($"trip {tripId}: no answer within {RequestTimeout.TotalSeconds:F0} s.", e);
        }
        catch (HttpRequestException e)
        {
            throw new TripNotBookedException($"trip {tripId}: the request failed: {e.Message}", e);
        }

        if (status != HttpStatusCode.OK || !IsBooked(body, tripId))
        {
            var text = Encoding.UTF8.GetString(body);
            throw new TripNotBookedException(
                $"trip {tripId}: expected 200 {{\"status\":\"success\",\"trip_id\":\"{tripId}\"}}, got {(int)status} {status}: " +
                (text.Length > 500 ? text[..500] + "…" : text));
        }
    }

    public void Dispose() => _http.Dispose();

    private static bool IsBooked(byte[] body, string tripId)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String && status.ValueEquals("success")
                && root.TryGetProperty("trip_id", out var id) && id.ValueKind == JsonValueKind.String && id.ValueEquals(tripId);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

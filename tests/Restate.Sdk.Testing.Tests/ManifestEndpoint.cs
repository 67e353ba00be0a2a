using System.Net;
using System.Text;

namespace Restate.Sdk.Testing.Tests;

/// <summary>
/// A real HTTP/1.1 endpoint that only answers the server's discovery request with a fixed manifest, so deployment
/// registration can be tested without an SDK. Invocations are not served.
/// </summary>
internal sealed class ManifestEndpoint : IDisposable
{
    private const string Manifest =
        """{"protocolMode":"REQUEST_RESPONSE","minProtocolVersion":5,"maxProtocolVersion":6,"services":[{"name":"Greeter","ty":"SERVICE","handlers":[{"name":"greet"}]}]}""";

    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private int _discoveryRequests;

    public ManifestEndpoint()
    {
        var port = FreePort.Next();
        Uri = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Uri.ToString());
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public Uri Uri { get; }

    public int DiscoveryRequests => Volatile.Read(ref _discoveryRequests);

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                await AnswerAsync(context);
            }
            catch (HttpListenerException)
            {
                // The caller went away; keep serving.
            }
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        using var response = context.Response;
        if (context.Request.Url?.AbsolutePath == "/discover")
        {
            Interlocked.Increment(ref _discoveryRequests);
            var body = Encoding.UTF8.GetBytes(Manifest);
            response.StatusCode = 200;
            response.ContentType = "application/vnd.restate.endpointmanifest.v1+json";
            response.ContentLength64 = body.Length;
            await response.OutputStream.WriteAsync(body);
        }
        else
        {
            response.StatusCode = 404;
        }
    }
}

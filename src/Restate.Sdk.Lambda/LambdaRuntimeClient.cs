using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Restate.Sdk.Lambda;

/// <summary>
/// The Lambda Runtime API (<c>http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01</c>), the HTTP contract between a custom
/// runtime and the Lambda service: fetch the next event, post its result or error, or report a failed initialization.
/// </summary>
internal sealed class LambdaRuntimeClient : IDisposable
{
    public const string RuntimeApiVariable = "AWS_LAMBDA_RUNTIME_API";

    private const string RequestIdHeader = "Lambda-Runtime-Aws-Request-Id";
    private const string DeadlineHeader = "Lambda-Runtime-Deadline-Ms";
    private const string FunctionArnHeader = "Lambda-Runtime-Invoked-Function-Arn";
    private const string TraceIdHeader = "Lambda-Runtime-Trace-Id";
    private const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpClient _http;
    private readonly Uri _baseUri;

    /// <param name="runtimeApi">The <c>host:port</c> of the Runtime API, as in <c>AWS_LAMBDA_RUNTIME_API</c>.</param>
    public LambdaRuntimeClient(string runtimeApi)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runtimeApi);
        _baseUri = new Uri($"http://{runtimeApi}/2018-06-01/", UriKind.Absolute);
        // The next-event call blocks until an event arrives, for as long as the sandbox lives: no client timeout.
        // The Runtime API is on the sandbox's loopback, so HTTP_PROXY and friends must not apply.
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>Waits for the next event (<c>GET /runtime/invocation/next</c>).</summary>
    /// <exception cref="HttpRequestException">The Runtime API failed or answered without a request id.</exception>
    public async Task<LambdaInvocation> NextAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri(_baseUri, "runtime/invocation/next"), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        var requestId = Header(response, RequestIdHeader)
            ?? throw new HttpRequestException($"The Runtime API's next event carries no {RequestIdHeader} header.");
        DateTimeOffset? deadline = long.TryParse(Header(response, DeadlineHeader), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;
        var payload = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return new LambdaInvocation(requestId, deadline, Header(response, FunctionArnHeader), Header(response, TraceIdHeader), payload);
    }

    /// <summary>Posts an event's result (<c>POST /runtime/invocation/{id}/response</c>).</summary>
    /// <returns>The Runtime API's status: 202, or 413 when the payload is over Lambda's limit.</returns>
    public async Task<HttpStatusCode> PostResponseAsync(string requestId, byte[] payload, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(payload);
        content.Headers.ContentType = Json;
        using var response = await _http.PostAsync(InvocationUri(requestId, "response"), content, cancellationToken);
        return response.StatusCode;
    }

    /// <summary>Reports that the function failed on an event (<c>POST /runtime/invocation/{id}/error</c>).</summary>
    public Task<HttpStatusCode> PostErrorAsync(string requestId, Exception error, CancellationToken cancellationToken) =>
        PostErrorAsync(InvocationUri(requestId, "error"), Describe(error), cancellationToken);

    /// <summary>Reports that the function failed on an event, with a chosen error type.</summary>
    public Task<HttpStatusCode> PostErrorAsync(string requestId, string errorType, string message, CancellationToken cancellationToken) =>
        PostErrorAsync(InvocationUri(requestId, "error"), new LambdaErrorBody(message, errorType, []), cancellationToken);

    /// <summary>Reports that initialization failed (<c>POST /runtime/init/error</c>); the process must exit afterwards.</summary>
    public Task<HttpStatusCode> PostInitErrorAsync(Exception error, CancellationToken cancellationToken) =>
        PostErrorAsync(new Uri(_baseUri, "runtime/init/error"), Describe(error), cancellationToken);

    public void Dispose() => _http.Dispose();

    internal static LambdaErrorBody Describe(Exception error)
    {
        var stack = error.StackTrace is { } trace
            ? trace.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];
        return new LambdaErrorBody(error.Message, error.GetType().Name, stack);
    }

    private async Task<HttpStatusCode> PostErrorAsync(Uri uri, LambdaErrorBody body, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, LambdaJsonContext.Default.LambdaErrorBody));
        content.Headers.ContentType = Json;
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
        request.Headers.TryAddWithoutValidation(ErrorTypeHeader, body.ErrorType);
        using var response = await _http.SendAsync(request, cancellationToken);
        return response.StatusCode;
    }

    private Uri InvocationUri(string requestId, string leaf) =>
        new(_baseUri, $"runtime/invocation/{Uri.EscapeDataString(requestId)}/{leaf}");

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}

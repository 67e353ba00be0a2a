using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Restate.Sdk.Client;

/// <summary>
/// Calls Restate services from outside Restate, through the ingress: request-response calls, one-way sends (now or
/// later), idempotency keys, attaching to invocations and reading their output (by id, by idempotency key, by
/// workflow key), and completing awakeables. Every value goes through a <see cref="Serde{T}"/>, the same ones the
/// services use, so Native AOT and trimming are safe. Generated clients (<c>…IngressClient</c>) wrap it per service.
/// </summary>
/// <remarks>
/// <para>
/// Give it an <see cref="HttpClient"/> whose <see cref="HttpClient.BaseAddress"/> is the ingress, e.g.
/// <c>http://localhost:8080/</c>; with <c>IHttpClientFactory</c> register it as a typed client
/// (<c>services.AddHttpClient&lt;RestateClient&gt;(c =&gt; c.BaseAddress = ingress)</c>). It is thread-safe and holds
/// no state of its own.
/// </para>
/// <para>
/// A failed invocation, and any answer of the ingress that is not a success (404 unknown service, 400 bad input or a
/// private service, …), throws <see cref="TerminalException"/> with the HTTP status as code and the ingress's message
/// and metadata. When the ingress says it made the error itself (not the invocation), the exception is the derived
/// <see cref="RestateIngressException"/>, whose <see cref="RestateIngressException.IsTransient"/> tells whether trying
/// again later may help; a handler's terminal failure stays a plain <see cref="TerminalException"/>, whatever its code.
/// Cancelling the token, or the <see cref="HttpClient.Timeout"/> elapsing, throws
/// <see cref="OperationCanceledException"/> (<see cref="TaskCanceledException"/> for the timeout) and never cancels the
/// invocation itself: it keeps running in Restate, and you can attach to it again.
/// </para>
/// <para>
/// Headers in <see cref="CallOptions.Headers"/> and <see cref="SendOptions.Headers"/> go on the request, where Restate
/// hands them to the handler; a <c>content-type</c> entry sets the body's type instead of the serde's, for raw bodies
/// (<c>byte[]</c>, <c>ReadOnlyMemory&lt;byte&gt;</c>) sent to a handler that accepts a specific type.
/// </para>
/// </remarks>
public sealed class RestateClient : IDisposable
{
    /// <summary>The status the ingress answers an output request with while the invocation has not finished.</summary>
    public const int NotReadyStatus = 470;

    private const string LimitKeyHeader = "x-restate-limit-key";

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <summary>A client over <paramref name="http"/>, whose base address is the ingress.</summary>
    /// <param name="http">The HTTP client; its <see cref="HttpClient.BaseAddress"/> must be set.</param>
    /// <exception cref="ArgumentException">The base address is missing.</exception>
    public RestateClient(HttpClient http)
        : this(http, ownsHttp: false)
    {
    }

    private RestateClient(HttpClient http, bool ownsHttp)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.BaseAddress is null)
        {
            throw new ArgumentException("The HttpClient needs a BaseAddress: the Restate ingress, e.g. http://localhost:8080/.", nameof(http));
        }
        _http = http;
        _ownsHttp = ownsHttp;
    }

    /// <summary>A client with its own <see cref="HttpClient"/> for <paramref name="ingress"/>; dispose it when done.</summary>
    /// <param name="ingress">The ingress URL, e.g. <c>http://localhost:8080/</c>.</param>
    /// <param name="timeout">How long one request may take; <see cref="HttpClient"/>'s 100 s when null.</param>
    public static RestateClient Create(Uri ingress, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(ingress);
        if (!ingress.IsAbsoluteUri || ingress.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"The ingress must be an absolute http(s) URL, not '{ingress}'.", nameof(ingress));
        }
        var http = new HttpClient { BaseAddress = ingress };
        if (timeout is { } limit)
        {
            http.Timeout = limit;
        }
        return new RestateClient(http, ownsHttp: true);
    }

    /// <summary>The ingress this client talks to.</summary>
    public Uri Ingress => _http.BaseAddress!;

    /// <summary>A generated typed client of a service, e.g. <c>client.ServiceClient&lt;GreeterIngressClient&gt;()</c>.</summary>
    /// <typeparam name="TClient">The generated <c>…IngressClient</c>.</typeparam>
    public TClient ServiceClient<TClient>()
        where TClient : IIngressServiceClient<TClient> =>
        TClient.Create(this);

    /// <summary>A generated typed client of the virtual object <paramref name="key"/>, e.g. <c>client.ObjectClient&lt;CounterIngressClient&gt;("a")</c>.</summary>
    /// <typeparam name="TClient">The generated <c>…IngressClient</c>.</typeparam>
    /// <param name="key">The object key.</param>
    public TClient ObjectClient<TClient>(string key)
        where TClient : IIngressObjectClient<TClient>
    {
        ArgumentNullException.ThrowIfNull(key);
        return TClient.Create(this, key);
    }

    /// <summary>A generated typed client of the workflow run <paramref name="key"/>, e.g. <c>client.WorkflowClient&lt;SignupIngressClient&gt;(id)</c>.</summary>
    /// <typeparam name="TClient">The generated <c>…IngressClient</c>.</typeparam>
    /// <param name="key">The workflow id.</param>
    public TClient WorkflowClient<TClient>(string key)
        where TClient : IIngressWorkflowClient<TClient>
    {
        ArgumentNullException.ThrowIfNull(key);
        return TClient.Create(this, key);
    }

    /// <summary>Calls <paramref name="target"/> and waits for its response.</summary>
    /// <typeparam name="TReq">The request type.</typeparam>
    /// <typeparam name="TRes">The response type.</typeparam>
    /// <param name="target">Service, handler, and key of an object or workflow.</param>
    /// <param name="request">The request.</param>
    /// <param name="requestSerde">How the request is written.</param>
    /// <param name="responseSerde">How the response is read.</param>
    /// <param name="options">Idempotency key, headers, scope and limit key.</param>
    /// <param name="cancellationToken">Stops waiting (the invocation goes on).</param>
    /// <exception cref="TerminalException">The invocation failed, or the ingress refused the request.</exception>
    /// <exception cref="ArgumentException">The options' scope or limit key breaks restate-server's rules, or a limit key has no scope.</exception>
    public async Task<TRes> CallAsync<TReq, TRes>(Target target, TReq request, Serde<TReq> requestSerde, Serde<TRes> responseSerde,
        CallOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requestSerde);
        ArgumentNullException.ThrowIfNull(responseSerde);
        using var message = PostCall(target, Body(requestSerde.Serialize(request), requestSerde.ContentType), options);
        return responseSerde.Deserialize(await SendAsync(message, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Calls a handler that takes no input and waits for its response.</summary>
    /// <typeparam name="TRes">The response type.</typeparam>
    /// <param name="target">Service, handler, and key of an object or workflow.</param>
    /// <param name="responseSerde">How the response is read.</param>
    /// <param name="options">Idempotency key, headers, scope and limit key.</param>
    /// <param name="cancellationToken">Stops waiting (the invocation goes on).</param>
    /// <exception cref="TerminalException">The invocation failed, or the ingress refused the request.</exception>
    /// <exception cref="ArgumentException">The options' scope or limit key breaks restate-server's rules, or a limit key has no scope.</exception>
    public async Task<TRes> CallAsync<TRes>(Target target, Serde<TRes> responseSerde, CallOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(responseSerde);
        using var message = PostCall(target, body: null, options);
        return responseSerde.Deserialize(await SendAsync(message, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Calls a handler and waits for it to finish, ignoring its response.</summary>
    /// <typeparam name="TReq">The request type.</typeparam>
    /// <param name="target">Service, handler, and key of an object or workflow.</param>
    /// <param name="request">The request.</param>
    /// <param name="requestSerde">How the request is written.</param>
    /// <param name="options">Idempotency key, headers, scope and limit key.</param>
    /// <param name="cancellationToken">Stops waiting (the invocation goes on).</param>
    /// <exception cref="TerminalException">The invocation failed, or the ingress refused the request.</exception>
    /// <exception cref="ArgumentException">The options' scope or limit key breaks restate-server's rules, or a limit key has no scope.</exception>
    public async Task CallAsync<TReq>(Target target, TReq request, Serde<TReq> requestSerde, CallOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requestSerde);
        using var message = PostCall(target, Body(requestSerde.Serialize(request), requestSerde.ContentType), options);
        await SendAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Calls a handler that takes no input and waits for it to finish, ignoring its response.</summary>
    /// <param name="target">Service, handler, and key of an object or workflow.</param>
    /// <param name="options">Idempotency key, headers, scope and limit key.</param>
    /// <param name="cancellationToken">Stops waiting (the invocation goes on).</param>
    /// <exception cref="TerminalException">The invocation failed, or the ingress refused the request.</exception>
    /// <exception cref="ArgumentException">The options' scope or limit key breaks restate-server's rules, or a limit key has no scope.</exception>
    public async Task CallAsync(Target target, CallOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var message = PostCall(target, body: null, options);
        await SendAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts <paramref name="target"/> without waiting for it, now or after <see cref="SendOptions.Delay"/>.</summary>
    /// <typeparam name="TReq">The request type.</typeparam>
    /// <param name="target">Service, handler, and key of an object or workflow.</param>
    /// <param name="request">The request.</param>
    /// <param name="requestSerde">How the request is written.</param>
    /// <param name="options">Delay, idempotency key, headers, scope and limit key.</param>
    /// <param name="cancellationToken">Stops waiting for the ingress's answer.</param>
    /// <returns>The invocation id, to attach to or read the output of later.</returns>
    /// <exception cref="TerminalException">The ingress refused the request.</exception>
    /// <exception cref="ArgumentException">The options' scope or limit key breaks restate-server's rules, or a limit key has no scope.</exception>
    public Task<SendResult> SendAsync<TReq>(Target target, TReq request, Serde<TReq> requestSerde, SendOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requestSerde);
        return SendCoreAsync(target, Body(requestSerde.Serialize(request), requestSerde.ContentType), options, cancellationToken);
    }

    /// <summary>Starts a handler that takes no input without waiting for it.</summary>
    /// <param name="target">Service, handler, and key of an object or workflow.</param>
    /// <param name="options">Delay, idempotency key, headers, scope and limit key.</param>
    /// <param name="cancellationToken">Stops waiting for the ingress's answer.</param>
    /// <returns>The invocation id.</returns>
    /// <exception cref="TerminalException">The ingress refused the request.</exception>
    /// <exception cref="ArgumentException">The options' scope or limit key breaks restate-server's rules, or a limit key has no scope.</exception>
    public Task<SendResult> SendAsync(Target target, SendOptions? options = null, CancellationToken cancellationToken = default) =>
        SendCoreAsync(target, body: null, options, cancellationToken);

    /// <summary>
    /// Starts the workflow <paramref name="workflow"/> with id <paramref name="key"/> through its run handler
    /// <paramref name="runHandler"/>; a workflow id runs once, so submitting it again answers
    /// <see cref="SendResult.PreviouslyAccepted"/> (or a 409 if it finished).
    /// </summary>
    /// <typeparam name="TReq">The input type.</typeparam>
    /// <param name="workflow">The workflow name.</param>
    /// <param name="key">The workflow id.</param>
    /// <param name="runHandler">The run handler's name, e.g. <c>run</c>.</param>
    /// <param name="input">The input.</param>
    /// <param name="inputSerde">How the input is written.</param>
    /// <param name="cancellationToken">Stops waiting for the ingress's answer.</param>
    /// <exception cref="TerminalException">The ingress refused the request.</exception>
    public Task<SendResult> SubmitWorkflowAsync<TReq>(string workflow, string key, string runHandler, TReq input, Serde<TReq> inputSerde,
        CancellationToken cancellationToken = default) =>
        SendAsync(Target.ForWorkflow(workflow, key, runHandler), input, inputSerde, options: null, cancellationToken);

    /// <summary>Waits for the invocation <paramref name="invocationId"/> to finish and returns its output.</summary>
    /// <typeparam name="T">The output type.</typeparam>
    /// <param name="invocationId">The invocation, <c>inv_…</c>.</param>
    /// <param name="serde">How the output is read.</param>
    /// <param name="cancellationToken">Stops waiting (the invocation goes on).</param>
    /// <exception cref="TerminalException">The invocation failed, or it is unknown (404).</exception>
    public Task<T> AttachAsync<T>(string invocationId, Serde<T> serde, CancellationToken cancellationToken = default) =>
        GetValueAsync($"restate/invocation/{Segment(invocationId, nameof(invocationId))}/attach", serde, cancellationToken);

    /// <summary>The output of the invocation <paramref name="invocationId"/> if it has finished, without waiting.</summary>
    /// <typeparam name="T">The output type.</typeparam>
    /// <param name="invocationId">The invocation, <c>inv_…</c>.</param>
    /// <param name="serde">How the output is read.</param>
    /// <param name="cancellationToken">Stops the request.</param>
    /// <returns><see cref="InvocationOutput{T}.IsReady"/> false while it runs.</returns>
    /// <exception cref="TerminalException">The invocation failed, or it is unknown (404).</exception>
    public Task<InvocationOutput<T>> GetOutputAsync<T>(string invocationId, Serde<T> serde, CancellationToken cancellationToken = default) =>
        GetOutputCoreAsync($"restate/invocation/{Segment(invocationId, nameof(invocationId))}/output", serde, cancellationToken);

    /// <summary>Waits for the invocation started on <paramref name="target"/> with <paramref name="idempotencyKey"/> and returns its output.</summary>
    /// <typeparam name="T">The output type.</typeparam>
    /// <param name="target">The target the idempotent request went to.</param>
    /// <param name="idempotencyKey">Its idempotency key.</param>
    /// <param name="serde">How the output is read.</param>
    /// <param name="cancellationToken">Stops waiting (the invocation goes on).</param>
    /// <exception cref="TerminalException">The invocation failed, or there is none for that key (404).</exception>
    /// <exception cref="ArgumentException"><paramref name="idempotencyKey"/> is null, empty or white space.</exception>
    public Task<T> AttachAsync<T>(Target target, string idempotencyKey, Serde<T> serde, CancellationToken cancellationToken = default) =>
        GetValueAsync($"restate/invocation/{PathOf(target)}/{IdempotencyKeySegment(idempotencyKey)}/attach", serde, cancellationToken);

    /// <summary>The output of the invocation started on <paramref name="target"/> with <paramref name="idempotencyKey"/>, without waiting.</summary>
    /// <typeparam name="T">The output type.</typeparam>
    /// <param name="target">The target the idempotent request went to.</param>
    /// <param name="idempotencyKey">Its idempotency key.</param>
    /// <param name="serde">How the output is read.</param>
    /// <param name="cancellationToken">Stops the request.</param>
    /// <exception cref="TerminalException">The invocation failed, or there is none for that key (404).</exception>
    /// <exception cref="ArgumentException"><paramref name="idempotencyKey"/> is null, empty or white space.</exception>
    public Task<InvocationOutput<T>> GetOutputAsync<T>(Target target, string idempotencyKey, Serde<T> serde, CancellationToken cancellationToken = default) =>
        GetOutputCoreAsync($"restate/invocation/{PathOf(target)}/{IdempotencyKeySegment(idempotencyKey)}/output", serde, cancellationToken);

    /// <summary>Waits for the workflow <paramref name="workflow"/> with id <paramref name="key"/> to finish and returns its result.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="workflow">The workflow name.</param>
    /// <param name="key">The workflow id.</param>
    /// <param name="serde">How the result is read.</param>
    /// <param name="cancellationToken">Stops waiting (the workflow goes on).</param>
    /// <exception cref="TerminalException">The workflow failed, or it was never submitted (404).</exception>
    public Task<T> AttachWorkflowAsync<T>(string workflow, string key, Serde<T> serde, CancellationToken cancellationToken = default) =>
        GetValueAsync($"restate/workflow/{Segment(workflow, nameof(workflow))}/{Segment(key, nameof(key))}/attach", serde, cancellationToken);

    /// <summary>Waits for the workflow <paramref name="workflow"/> with id <paramref name="key"/> to finish, for a run handler without a result.</summary>
    /// <param name="workflow">The workflow name.</param>
    /// <param name="key">The workflow id.</param>
    /// <param name="cancellationToken">Stops waiting (the workflow goes on).</param>
    /// <exception cref="TerminalException">The workflow failed, or it was never submitted (404).</exception>
    public async Task AttachWorkflowAsync(string workflow, string key, CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get,
            new Uri($"restate/workflow/{Segment(workflow, nameof(workflow))}/{Segment(key, nameof(key))}/attach", UriKind.Relative));
        await SendAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The result of the workflow <paramref name="workflow"/> with id <paramref name="key"/> if it has finished, without waiting.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="workflow">The workflow name.</param>
    /// <param name="key">The workflow id.</param>
    /// <param name="serde">How the result is read.</param>
    /// <param name="cancellationToken">Stops the request.</param>
    /// <exception cref="TerminalException">The workflow failed, or it was never submitted (404).</exception>
    public Task<InvocationOutput<T>> GetWorkflowOutputAsync<T>(string workflow, string key, Serde<T> serde, CancellationToken cancellationToken = default) =>
        GetOutputCoreAsync($"restate/workflow/{Segment(workflow, nameof(workflow))}/{Segment(key, nameof(key))}/output", serde, cancellationToken);

    /// <summary>Completes the awakeable <paramref name="awakeableId"/> with <paramref name="value"/>; its awaiter resumes with it.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="awakeableId">The id the handler handed out (<c>sign_…</c> or <c>prom_…</c>).</param>
    /// <param name="value">The value.</param>
    /// <param name="serde">How the value is written.</param>
    /// <param name="cancellationToken">Stops the request.</param>
    /// <exception cref="TerminalException">The ingress refused it (e.g. a malformed id).</exception>
    public async Task ResolveAwakeableAsync<T>(string awakeableId, T value, Serde<T> serde, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(serde);
        using var message = Post($"restate/awakeables/{Segment(awakeableId, nameof(awakeableId))}/resolve",
            Body(serde.Serialize(value), serde.ContentType), idempotencyKey: null, headers: null);
        await SendAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Fails the awakeable <paramref name="awakeableId"/>: its awaiter gets a <see cref="TerminalException"/> with <paramref name="reason"/>.</summary>
    /// <param name="awakeableId">The id the handler handed out.</param>
    /// <param name="reason">The failure message.</param>
    /// <param name="cancellationToken">Stops the request.</param>
    /// <exception cref="TerminalException">The ingress refused it (e.g. a malformed id).</exception>
    public async Task RejectAwakeableAsync(string awakeableId, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reason);
        using var message = Post($"restate/awakeables/{Segment(awakeableId, nameof(awakeableId))}/reject",
            Body(Encoding.UTF8.GetBytes(reason), "text/plain; charset=utf-8"), idempotencyKey: null, headers: null);
        await SendAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private async Task<SendResult> SendCoreAsync(Target target, HttpContent? body, SendOptions? options, CancellationToken cancellationToken)
    {
        options?.Validate(nameof(options));
        var path = options?.Scope is { } scope ? $"restate/scope/{scope}/send/{PathOf(target)}" : PathOf(target) + "/send";
        if (options?.Delay is { } delay)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero, nameof(options));
            path += "?delay=" + ((long)delay.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
        }
        using var message = Post(path, body, options?.IdempotencyKey, options?.Headers);
        AddLimitKey(message, options?.LimitKey);
        var answer = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        return ParseSendResult(answer);
    }

    private async Task<T> GetValueAsync<T>(string path, Serde<T> serde, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(serde);
        using var message = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        return serde.Deserialize(await SendAsync(message, cancellationToken).ConfigureAwait(false));
    }

    private async Task<InvocationOutput<T>> GetOutputCoreAsync<T>(string path, Serde<T> serde, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(serde);
        using var message = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        using var response = await _http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        if ((int)response.StatusCode == NotReadyStatus)
        {
            return new InvocationOutput<T>(false, default);
        }
        var body = await ReadSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return new InvocationOutput<T>(true, serde.Deserialize(body));
    }

    private async Task<ReadOnlyMemory<byte>> SendAsync(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        using var response = await _http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return await ReadSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<ReadOnlyMemory<byte>> ReadSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return body;
        }
        var source = response.Headers.TryGetValues(IngressErrors.SourceHeader, out var values) ? values.FirstOrDefault() : null;
        throw IngressErrors.ToException((int)response.StatusCode, response.ReasonPhrase, source, body);
    }

    /// <summary>
    /// The request of a call: to <c>Service/…/handler</c>, or with a scope to <c>restate/scope/{scope}/call/Service/…/handler</c>
    /// (the scope's characters need no escaping: <see cref="CallOptions.Validate"/> allows only unreserved ones).
    /// </summary>
    private static HttpRequestMessage PostCall(Target target, HttpContent? body, CallOptions? options)
    {
        options?.Validate(nameof(options));
        var path = options?.Scope is { } scope ? $"restate/scope/{scope}/call/{PathOf(target)}" : PathOf(target);
        var message = Post(path, body, options?.IdempotencyKey, options?.Headers);
        AddLimitKey(message, options?.LimitKey);
        return message;
    }

    /// <summary>The ingress reads the limit key from this header (or the <c>limit-key</c> query parameter).</summary>
    private static void AddLimitKey(HttpRequestMessage message, string? limitKey)
    {
        if (limitKey is not null)
        {
            message.Headers.Remove(LimitKeyHeader);
            message.Headers.Add(LimitKeyHeader, limitKey);
        }
    }

    private static HttpRequestMessage Post(string path, HttpContent? body, string? idempotencyKey, IReadOnlyDictionary<string, string>? headers)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = body };
        if (idempotencyKey is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
            message.Headers.Add("idempotency-key", idempotencyKey);
        }
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            if (string.Equals(name, "content-type", StringComparison.OrdinalIgnoreCase))
            {
                // The body's type, for raw bodies whose handler accepts a specific one (the serde says octet-stream).
                if (!MediaTypeHeaderValue.TryParse(value, out var contentType))
                {
                    throw new ArgumentException($"Header 'content-type' is not a media type: '{value}'.", nameof(headers));
                }
                message.Content ??= new ByteArrayContent([]);
                message.Content.Headers.ContentType = contentType;
            }
            else if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                throw new ArgumentException($"Header '{name}' cannot be sent on a request (it is a content header other than content-type, or malformed).", nameof(headers));
            }
        }
        return message;
    }

    private static ByteArrayContent? Body(ReadOnlyMemory<byte> bytes, string? contentType)
    {
        var content = new ByteArrayContent(bytes.ToArray());
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        return content;
    }

    /// <summary><c>Service/handler</c> or <c>Service/key/handler</c>, each segment escaped.</summary>
    internal static string PathOf(Target target)
    {
        var service = Segment(target.Service, nameof(target));
        var handler = Segment(target.Handler, nameof(target));
        return target.Key is { } key ? $"{service}/{Uri.EscapeDataString(key)}/{handler}" : $"{service}/{handler}";
    }

    private static string Segment(string value, string parameter)
    {
        ArgumentException.ThrowIfNullOrEmpty(value, parameter);
        return Uri.EscapeDataString(value);
    }

    /// <summary>An idempotency key as a path segment; like a key sent as a header, it must not be blank.</summary>
    private static string IdempotencyKeySegment(string idempotencyKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        return Uri.EscapeDataString(idempotencyKey);
    }

    private static SendResult ParseSendResult(ReadOnlyMemory<byte> body)
    {
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        var id = root.TryGetProperty("invocationId", out var idElement) ? idElement.GetString() : null;
        if (string.IsNullOrEmpty(id))
        {
            throw new InvalidOperationException($"The ingress answered a send without an invocation id: {Encoding.UTF8.GetString(body.Span)}");
        }
        var previously = root.TryGetProperty("status", out var status) && status.GetString() == "PreviouslyAccepted";
        DateTimeOffset? executionTime = root.TryGetProperty("executionTime", out var time) && time.ValueKind == JsonValueKind.String
            ? DateTimeOffset.Parse(time.GetString()!, CultureInfo.InvariantCulture)
            : null;
        return new SendResult(id, previously, executionTime);
    }
}

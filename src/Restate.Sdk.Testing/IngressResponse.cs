using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Restate.Sdk.Testing;

/// <summary>
/// What restate-server's ingress answered: status, body and the invocation id (<c>x-restate-id</c>). For this
/// repository's tests that assert the wire (exact status codes and bodies); everything else calls services through
/// <c>RestateClient</c> and the generated ingress clients.
/// </summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Bytes">The body as sent.</param>
/// <param name="InvocationId">The <c>x-restate-id</c> header, when the ingress started or attached to an invocation.</param>
internal sealed record IngressResponse(HttpStatusCode Status, byte[] Bytes, string? InvocationId)
{
    /// <summary>The header the ingress names the invocation in.</summary>
    public const string InvocationIdHeader = "x-restate-id";

    /// <summary>The body as UTF-8 text.</summary>
    public string Body => Encoding.UTF8.GetString(Bytes);

    /// <summary>The body parsed as JSON.</summary>
    public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidOperationException($"The body is JSON null: {Body}");

    /// <summary>The <c>message</c> of a failure body (<c>{"code","message"[,"metadata"]}</c>); empty when there is none.</summary>
    public string ErrorMessage => Json["message"]?.GetValue<string>() ?? "";

    /// <summary>Reads status, body and invocation id of an ingress response.</summary>
    public static async Task<IngressResponse> ReadAsync(HttpResponseMessage response, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        return new IngressResponse(
            response.StatusCode,
            await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false),
            response.Headers.TryGetValues(InvocationIdHeader, out var ids) ? ids.FirstOrDefault() : null);
    }

    /// <summary>This response if its status is 200; otherwise an exception that shows the status and the body (the error).</summary>
    public IngressResponse EnsureOk() => Status == HttpStatusCode.OK
        ? this
        : throw new InvalidOperationException($"Expected 200 from the ingress, got {(int)Status}: {Body}");

    /// <inheritdoc />
    public override string ToString() => $"{(int)Status} {Body}";
}

/// <summary>Requests to restate-server's ingress, as the tests and tools send them.</summary>
internal static class IngressClientExtensions
{
    /// <summary>POSTs <paramref name="json"/> (or no body when null) with <c>Content-Type: application/json</c>.</summary>
    /// <param name="ingress">A client whose base address is the ingress (<see cref="RestateServer.Ingress"/>).</param>
    /// <param name="path">For example <c>/trips/reserve</c> or <c>/Counter/a/add/send</c>.</param>
    /// <param name="json">The request body.</param>
    /// <param name="headers">Extra headers, such as <c>idempotency-key</c> or <c>traceparent</c>.</param>
    /// <param name="ct">Cancels the request.</param>
    public static Task<IngressResponse> PostJsonAsync(this HttpClient ingress, string path, string? json,
        IReadOnlyDictionary<string, string>? headers = null, CancellationToken ct = default) =>
        ingress.PostToIngressAsync(path, json is null ? null : Encoding.UTF8.GetBytes(json), "application/json", headers, ct);

    /// <summary>POSTs <paramref name="body"/> (or no body when null) with the given content type.</summary>
    public static async Task<IngressResponse> PostToIngressAsync(this HttpClient ingress, string path, byte[]? body, string contentType,
        IReadOnlyDictionary<string, string>? headers = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(ingress);
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        using var response = await ingress.SendAsync(request, ct).ConfigureAwait(false);
        return await IngressResponse.ReadAsync(response, ct).ConfigureAwait(false);
    }

    /// <summary>GETs <paramref name="path"/>, for example <c>/restate/invocation/{id}/attach</c>.</summary>
    public static async Task<IngressResponse> GetFromIngressAsync(this HttpClient ingress, string path, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(ingress);
        using var response = await ingress.GetAsync(path, ct).ConfigureAwait(false);
        return await IngressResponse.ReadAsync(response, ct).ConfigureAwait(false);
    }
}

using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Restate.Sdk.Conformance.Tests.Infrastructure;

/// <summary>What the ingress answered: status, body and the invocation id header.</summary>
public sealed record IngressResponse(HttpStatusCode Status, byte[] Bytes, string? InvocationId)
{
    public string Body => Encoding.UTF8.GetString(Bytes);

    /// <summary>The body parsed as JSON.</summary>
    public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidOperationException($"The body is JSON null: {Body}");

    /// <summary>The <c>message</c> of a failure body (<c>{"code","message"[,"metadata"]}</c>).</summary>
    public string ErrorMessage => Json["message"]?.GetValue<string>() ?? "";

    public static async Task<IngressResponse> ReadAsync(HttpResponseMessage response, CancellationToken ct) => new(
        response.StatusCode,
        await response.Content.ReadAsByteArrayAsync(ct),
        response.Headers.TryGetValues("x-restate-id", out var ids) ? ids.FirstOrDefault() : null);

    /// <summary>Fails unless the status is 200, showing the body (the error) otherwise.</summary>
    public IngressResponse EnsureOk()
    {
        Assert.True(Status == HttpStatusCode.OK, $"Expected 200 from the ingress, got {(int)Status}: {Body}");
        return this;
    }

    public override string ToString() => $"{(int)Status} {Body}";
}

/// <summary>What <c>…/send</c> answered: the invocation id and whether it was new (<c>Accepted</c>) or a repeat.</summary>
public sealed record SendResponse(string InvocationId, string Status);

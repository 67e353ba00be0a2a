using System.Text.Json.Serialization;

namespace Restate.Sdk.Lambda;

/// <summary>
/// The API-Gateway-proxy-shaped event restate-server sends to a Lambda function:
/// <c>{"path","httpMethod","headers","body","isBase64Encoded"}</c>.
/// </summary>
public sealed class ApiGatewayProxyRequest
{
    /// <summary>The request path: <c>/discover</c> or <c>/invoke/{service}/{handler}</c>.</summary>
    [JsonPropertyName("path")]
    public string? Path { get; init; }

    /// <summary>The HTTP method: <c>GET</c> for discovery, <c>POST</c> for invocations.</summary>
    [JsonPropertyName("httpMethod")]
    public string? HttpMethod { get; init; }

    /// <summary>Request headers, one value per name (names are matched case-insensitively).</summary>
    [JsonPropertyName("headers")]
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>The body: base64 when <see cref="IsBase64Encoded"/> is set (always, from restate-server), else UTF-8 text.</summary>
    [JsonPropertyName("body")]
    public string? Body { get; init; }

    /// <summary>Whether <see cref="Body"/> is base64.</summary>
    [JsonPropertyName("isBase64Encoded")]
    public bool IsBase64Encoded { get; init; }
}

/// <summary>
/// The API-Gateway-proxy-shaped result restate-server expects back:
/// <c>{"statusCode","headers","body","isBase64Encoded"}</c>.
/// </summary>
public sealed class ApiGatewayProxyResponse
{
    /// <summary>The HTTP status code.</summary>
    [JsonPropertyName("statusCode")]
    public int StatusCode { get; init; }

    /// <summary>Response headers (<c>content-type</c>, <c>x-restate-server</c>, and <c>content-encoding</c> when compressed).</summary>
    [JsonPropertyName("headers")]
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>The body: base64 when <see cref="IsBase64Encoded"/> is set (always, from this SDK).</summary>
    [JsonPropertyName("body")]
    public string? Body { get; init; }

    /// <summary>Whether <see cref="Body"/> is base64.</summary>
    [JsonPropertyName("isBase64Encoded")]
    public bool IsBase64Encoded { get; init; }
}

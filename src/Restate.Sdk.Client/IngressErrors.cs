using System.Text;
using System.Text.Json;

namespace Restate.Sdk.Client;

/// <summary>
/// Turns a failed ingress answer into a <see cref="RestateIngressException"/> when the ingress says it made the error
/// itself, or into a plain <see cref="TerminalException"/> (an invocation's terminal failure, or a server that does
/// not say), with its status, message and metadata.
/// </summary>
internal static class IngressErrors
{
    /// <summary>The header restate-server sets on error answers: <c>ingress</c> or <c>invocation</c>.</summary>
    public const string SourceHeader = "x-restate-error-source";

    private const string IngressSource = "ingress";

    /// <summary>
    /// Failures carry <c>{"code", "message", "metadata", "source"}</c> (an invocation's failure) or at least a message
    /// (the ingress's own errors); the HTTP status is the code either way. A body that is not such JSON becomes the
    /// message. The source comes from <paramref name="sourceHeader"/>, else from the body's <c>source</c> field.
    /// </summary>
    /// <param name="status">The HTTP status of the answer.</param>
    /// <param name="reasonPhrase">The HTTP reason phrase, for a message when the body has none.</param>
    /// <param name="sourceHeader">The <see cref="SourceHeader"/> value, or null when the answer has none.</param>
    /// <param name="body">The answer's body.</param>
    public static TerminalException ToException(int status, string? reasonPhrase, string? sourceHeader, ReadOnlyMemory<byte> body)
    {
        var code = status is > 0 and <= ushort.MaxValue ? (ushort)status : TerminalException.DefaultCode;
        string? message = null;
        string? bodySource = null;
        var metadata = new Dictionary<string, string>();
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object)
            {
                if (json.RootElement.TryGetProperty("message", out var text) && text.ValueKind == JsonValueKind.String)
                {
                    message = text.GetString();
                }
                if (json.RootElement.TryGetProperty("metadata", out var entries) && entries.ValueKind == JsonValueKind.Object)
                {
                    foreach (var entry in entries.EnumerateObject())
                    {
                        metadata[entry.Name] = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString()! : entry.Value.GetRawText();
                    }
                }
                if (json.RootElement.TryGetProperty("source", out var source) && source.ValueKind == JsonValueKind.String)
                {
                    bodySource = source.GetString();
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: the body itself is the best message.
        }
        if (string.IsNullOrEmpty(message))
        {
            var text = Encoding.UTF8.GetString(body.Span).Trim();
            message = text.Length > 0 ? text : $"The Restate ingress answered {status} {reasonPhrase}".TrimEnd();
        }
        // The header is on every error answer, even one whose body is not JSON; the body field is the fallback.
        var fromIngress = string.Equals(string.IsNullOrWhiteSpace(sourceHeader) ? bodySource : sourceHeader.Trim(), IngressSource,
            StringComparison.OrdinalIgnoreCase);
        return fromIngress ? new RestateIngressException(message, code, metadata) : new TerminalException(message, code, metadata);
    }
}

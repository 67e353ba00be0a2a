using System.Text;
using System.Text.Json;

namespace Restate.Sdk.Client;

/// <summary>Turns a failed ingress answer into a <see cref="TerminalException"/> with its status, message and metadata.</summary>
internal static class IngressErrors
{
    /// <summary>
    /// Failures carry <c>{"code", "message", "metadata"}</c> (an invocation's failure) or at least a message (the
    /// ingress's own errors); the HTTP status is the code either way. A body that is not such JSON becomes the message.
    /// </summary>
    public static TerminalException ToException(int status, string? reasonPhrase, ReadOnlyMemory<byte> body)
    {
        var code = status is > 0 and <= ushort.MaxValue ? (ushort)status : TerminalException.DefaultCode;
        string? message = null;
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
        return new TerminalException(message, code, metadata);
    }
}

using System.Text.RegularExpressions;

namespace Restate.Sdk.Definitions;

/// <summary>
/// The rules for <see cref="HandlerOptions.Accept"/> and <see cref="HandlerOptions.ContentType"/>: what restate-server
/// can use, a little stricter where the server would accept a value that never does what it says. The generator
/// applies the same rules to the attributes at compile time (RESTATE020), with the same messages.
/// </summary>
/// <remarks>
/// restate-server parses <c>input.contentType</c> as <c>*/*</c>, <c>type/*</c> or <c>type/subtype</c> (it refuses
/// <c>*/subtype</c> at registration) and compares it, byte for byte, with the type and subtype of the request's
/// <c>content-type</c> after dropping its parameters: a declared parameter, upper-case letter or list would never
/// match. <c>output.contentType</c> is any header value, copied onto the ingress response.
/// </remarks>
internal static partial class MediaTypes
{
    private const string AcceptHint = "use one media type such as \"application/json\", or a wildcard \"text/*\" or \"*/*\"";
    private const string ContentTypeHint = "use a media type such as \"text/plain\" or \"application/json; charset=utf-8\"";

    /// <summary>Why <paramref name="accept"/> cannot be a handler's <c>Accept</c>, or null when it can.</summary>
    public static string? AcceptProblem(string accept)
    {
        if (accept.Contains(','))
        {
            return "restate-server takes one media type per handler, not a list";
        }
        if (accept.Contains(';'))
        {
            return "restate-server compares type and subtype only, so a parameter would never match: drop it";
        }
        if (!AcceptPattern().IsMatch(accept))
        {
            return accept.StartsWith("*/", StringComparison.Ordinal)
                ? "restate-server has no wildcard \"*/subtype\": use \"type/*\" or \"*/*\""
                : AcceptHint;
        }
        var lower = accept.ToLowerInvariant();
        return lower == accept
            ? null
            : $"write it in lower case (\"{lower}\"): restate-server compares media types case-sensitively, and clients send them in lower case";
    }

    /// <summary>Why <paramref name="contentType"/> cannot be a handler's <c>ContentType</c>, or null when it can.</summary>
    public static string? ContentTypeProblem(string contentType)
    {
        if (contentType.Split(';')[0].Contains('*'))
        {
            return "a response has one media type, not a wildcard";
        }
        return ContentTypePattern().IsMatch(contentType) ? null : ContentTypeHint;
    }

    // RFC 9110 tokens without '*', which only stands alone as a wildcard.
    [GeneratedRegex(@"^(\*/\*|[A-Za-z0-9!#$%&'+.^_`|~-]+/(\*|[A-Za-z0-9!#$%&'+.^_`|~-]+))\z")]
    private static partial Regex AcceptPattern();

    [GeneratedRegex(@"^[A-Za-z0-9!#$%&'+.^_`|~-]+/[A-Za-z0-9!#$%&'+.^_`|~-]+([ \t]*;[ \t]*[A-Za-z0-9!#$%&'+.^_`|~-]+=([A-Za-z0-9!#$%&'+.^_`|~-]+|""([^""\\]|\\.)*""))*\z")]
    private static partial Regex ContentTypePattern();
}

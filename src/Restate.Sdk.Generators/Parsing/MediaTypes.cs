using System;
using System.Text.RegularExpressions;

namespace Restate.Sdk.Generators.Parsing;

/// <summary>
/// The rules for <c>[Handler(Accept = …, ContentType = …)]</c> (RESTATE020): the same rules, with the same messages, as
/// the SDK's builders apply to <c>HandlerOptions.Accept</c>/<c>ContentType</c> at run time
/// (<c>src/Restate.Sdk/Definitions/MediaTypes.cs</c>; the generator cannot reference the SDK).
/// </summary>
internal static class MediaTypes
{
    private const string AcceptHint = "use one media type such as \"application/json\", or a wildcard \"text/*\" or \"*/*\"";
    private const string ContentTypeHint = "use a media type such as \"text/plain\" or \"application/json; charset=utf-8\"";

    // RFC 9110 tokens without '*', which only stands alone as a wildcard.
    private const string Token = "[A-Za-z0-9!#$%&'+.^_`|~-]+";

    private static readonly Regex AcceptPattern = new($@"^(\*/\*|{Token}/(\*|{Token}))\z");

    private static readonly Regex ContentTypePattern = new($@"^{Token}/{Token}([ \t]*;[ \t]*{Token}=({Token}|""([^""\\]|\\.)*""))*\z");

    /// <summary>Why <paramref name="accept"/> cannot be a handler's <c>Accept</c>, or null when it can.</summary>
    public static string? AcceptProblem(string accept)
    {
        if (accept.IndexOf(',') >= 0)
        {
            return "restate-server takes one media type per handler, not a list";
        }
        if (accept.IndexOf(';') >= 0)
        {
            return "restate-server compares type and subtype only, so a parameter would never match: drop it";
        }
        if (!AcceptPattern.IsMatch(accept))
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
        if (contentType.Split(';')[0].IndexOf('*') >= 0)
        {
            return "a response has one media type, not a wildcard";
        }
        return ContentTypePattern.IsMatch(contentType) ? null : ContentTypeHint;
    }
}

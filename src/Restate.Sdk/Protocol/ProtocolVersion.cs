namespace Restate.Sdk.Protocol;

/// <summary>The service protocol versions this SDK speaks, and the content types that name them.</summary>
internal static class ProtocolVersion
{
    public const int Min = 5;
    public const int Max = 6;

    private const string ContentTypePrefix = "application/vnd.restate.invocation.v";

    /// <summary>
    /// Parses <c>application/vnd.restate.invocation.vN</c>. Returns false (answer 415) for a missing or foreign content
    /// type, or a version outside <see cref="Min"/>..<see cref="Max"/>.
    /// </summary>
    public static bool TryParse(string? contentType, out int version)
    {
        version = 0;
        if (contentType is null || !contentType.StartsWith(ContentTypePrefix, StringComparison.Ordinal))
        {
            return false;
        }
        return int.TryParse(contentType.AsSpan(ContentTypePrefix.Length), System.Globalization.NumberStyles.None,
                   System.Globalization.CultureInfo.InvariantCulture, out version)
               && version is >= Min and <= Max;
    }

    public static string ContentType(int version) => version switch
    {
        5 => "application/vnd.restate.invocation.v5",
        6 => "application/vnd.restate.invocation.v6",
        _ => throw new ArgumentOutOfRangeException(nameof(version), version, "Unsupported protocol version."),
    };
}

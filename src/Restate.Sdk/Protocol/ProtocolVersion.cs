namespace Restate.Sdk.Protocol;

/// <summary>The service protocol versions this SDK speaks, and the content types that name them.</summary>
/// <remarks>
/// restate-server 1.7 negotiates V7 only with its experimental flag (<c>RESTATE_EXPERIMENTAL_ENABLE_PROTOCOL_V7=true</c>)
/// and V6 otherwise, so <see cref="Min"/> must stay at most 6.
/// </remarks>
internal static class ProtocolVersion
{
    public const int Min = 5;
    public const int Max = 7;

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
        7 => "application/vnd.restate.invocation.v7",
        _ => throw new ArgumentOutOfRangeException(nameof(version), version, "Unsupported protocol version."),
    };
}

namespace Restate.Sdk.Conformance.Services;

/// <summary>The process contract of a conformance service container, read from the environment.</summary>
/// <param name="Http2Port"><c>PORT</c> (default 9080): h2c, bidirectional streaming.</param>
/// <param name="Http1Port"><c>HTTP1_PORT</c> (optional): HTTP/1.1, request/response.</param>
/// <param name="Services"><c>SERVICES</c>: comma-separated service names; empty means all.</param>
/// <param name="IdentityKeys"><c>E2E_REQUEST_SIGNING</c>: comma-separated request-identity public keys; when any, unsigned requests are rejected.</param>
internal sealed record ServiceSettings(int Http2Port, int? Http1Port, IReadOnlyList<string> Services, IReadOnlyList<string> IdentityKeys)
{
    public const int DefaultPort = 9080;

    /// <exception cref="FormatException">A port that is not a number between 1 and 65535.</exception>
    public static ServiceSettings FromEnvironment(Func<string, string?> variable) => new(
        Port(variable("PORT"), "PORT") ?? DefaultPort,
        Port(variable("HTTP1_PORT"), "HTTP1_PORT"),
        List(variable("SERVICES")),
        List(variable("E2E_REQUEST_SIGNING")));

    private static int? Port(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        return int.TryParse(value, out var port) && port is > 0 and <= 65535
            ? port
            : throw new FormatException($"{name}='{value}' is not a TCP port.");
    }

    private static string[] List(string? value) =>
        value?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
}

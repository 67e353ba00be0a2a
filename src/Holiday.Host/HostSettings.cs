using System.Globalization;
using System.Net;
using Holiday.Hosting;

namespace Holiday.Host;

/// <summary>
/// Where the host listens and which request-identity keys it accepts, from the environment:
/// <c>PORT</c> (HTTP/2, default 9080), <c>HTTP1_PORT</c> (optional HTTP/1.1 endpoint), <c>BIND_ADDRESS</c>
/// (default 127.0.0.1; 0.0.0.0 in a container) and <c>RESTATE_IDENTITY_KEYS</c> (comma-separated <c>publickeyv1_…</c>).
/// Traces follow OpenTelemetry's own variables (<see cref="HolidayTelemetry"/>) unless <see cref="OtlpEndpoint"/> names a collector.
/// </summary>
/// <param name="OtlpEndpoint">An OTLP/gRPC collector named in code (the local run, tests); null leaves it to <c>OTEL_*</c>.</param>
public sealed record HostSettings(IPAddress BindAddress, int Http2Port, int? Http1Port, IReadOnlyList<string> IdentityKeys,
    Uri? OtlpEndpoint = null)
{
    /// <summary>The <c>service.name</c> of the host's traces unless <c>OTEL_SERVICE_NAME</c> says otherwise.</summary>
    public const string DefaultServiceName = "holiday-host";

    public static HostSettings FromEnvironment(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        var address = getVariable("BIND_ADDRESS") is { Length: > 0 } text
            ? IPAddress.TryParse(text, out var parsed) ? parsed : throw new ArgumentException($"BIND_ADDRESS must be an IP address, not '{text}'.")
            : IPAddress.Loopback;
        var keys = (getVariable("RESTATE_IDENTITY_KEYS") ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new HostSettings(address, Port(getVariable, "PORT") ?? 9080, Port(getVariable, "HTTP1_PORT"), keys);
    }

    private static int? Port(Func<string, string?> getVariable, string name) => getVariable(name) switch
    {
        null or "" => null,
        var text when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535 => port,
        var text => throw new ArgumentException($"{name} must be a port number from 1 to 65535, not '{text}'."),
    };
}

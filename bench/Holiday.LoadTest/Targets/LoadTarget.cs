using System.Net;
using System.Net.Sockets;
using Holiday.Local;
using Restate.Sdk.Testing;

namespace Holiday.LoadTest.Targets;

/// <summary>
/// A system under test: one service process, started once per session and registered with each run's fresh
/// restate-server. Disposing stops the process.
/// </summary>
internal abstract class LoadTarget : IAsyncDisposable
{
    private ManagedProcess? _process;

    /// <summary>The <c>--targets</c> value.</summary>
    public abstract string Name { get; }

    /// <summary>How reports name the service process.</summary>
    public abstract string ServiceProcessName { get; }

    /// <summary>Whether the target needs DynamoDB Local.</summary>
    public abstract bool UsesDynamoDb { get; }

    /// <summary>Where restate-server reaches the service endpoint (HTTP/2 cleartext).</summary>
    public Uri ServiceUri { get; private set; } = null!;

    /// <summary>PID of the service process.</summary>
    public int ServiceProcessId => _process?.ProcessId ?? throw new InvalidOperationException($"The {Name} service is not running.");

    /// <summary>The service's recent output, for error messages.</summary>
    public string RecentLog => _process?.FormatRecentLog() ?? string.Empty;

    public static LoadTarget Create(string name, LoadTestOptions options) => name switch
    {
        TargetNames.Holiday => new HolidayTarget(),
        TargetNames.Noop => new NoopTarget(),
        TargetNames.TypeScript => new TsHolidayTarget(options.TsHolidayDirectory!),
        _ => throw new ArgumentException($"Unknown target '{name}'.", nameof(name)),
    };

    /// <summary>Creates the target's tables (if any) and starts its service process.</summary>
    /// <param name="dynamoDb">The session's DynamoDB Local; null when no target uses it.</param>
    /// <param name="ct">Cancels the start.</param>
    public async Task StartAsync(DynamoDbLocal? dynamoDb, CancellationToken ct)
    {
        if (UsesDynamoDb && dynamoDb is null)
        {
            throw new InvalidOperationException($"The {Name} target needs DynamoDB Local.");
        }

        (_process, ServiceUri) = await StartServiceAsync(dynamoDb, ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }

    /// <summary>Creates the tables and starts the service; returns the running process and its endpoint.</summary>
    protected abstract Task<(ManagedProcess Process, Uri Endpoint)> StartServiceAsync(DynamoDbLocal? dynamoDb, CancellationToken ct);

    /// <summary>A free TCP port on 127.0.0.1.</summary>
    protected static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Variables set to empty so that the caller's shell cannot change what is measured: an empty value means unset
    /// to the Holiday host (no tracing, no SQS, no extra HTTP/1.1 listener, no identity keys).
    /// </summary>
    protected static Dictionary<string, string> QuietHostEnvironment(int port) => new(StringComparer.Ordinal)
    {
        ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["BIND_ADDRESS"] = "127.0.0.1",
        ["HTTP1_PORT"] = string.Empty,
        ["RESTATE_IDENTITY_KEYS"] = string.Empty,
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = string.Empty,
        ["NOTIFICATIONS_QUEUE_URL"] = string.Empty,
    };
}

using System.Net;
using System.Net.Sockets;
using Restate.Sdk.Testing;

namespace Restate.Sdk.Conformance.Tests.Infrastructure;

/// <summary>
/// The conformance services app (tests/Restate.Sdk.Conformance.Services) as a child process on free loopback ports:
/// h2c on <c>PORT</c>, HTTP/1.1 on <c>HTTP1_PORT</c>. Scenarios kill, stop and restart it like a crashing endpoint.
/// </summary>
public sealed class ConformanceServices : IAsyncDisposable
{
    /// <summary>The start of the line the app prints once it serves requests (see its README).</summary>
    public const string ReadyLinePrefix = "listening ";

    private const string AssemblyName = "Restate.Sdk.Conformance.Services.dll";
    private const int MaxStartAttempts = 3;

    // Ports handed out by this test process and not yet released, so parallel fixtures never pick the same one.
    private static readonly HashSet<int> ReservedPorts = [];
    private static readonly Lock PortGate = new();

    private readonly ManagedProcess _process;
    private readonly int[] _ports;

    private ConformanceServices(ManagedProcess process, int[] ports)
    {
        _process = process;
        _ports = ports;
    }

    /// <summary>Where the app serves h2c (prior knowledge), the protocol of the default deployment.</summary>
    public Uri Http2Uri => new($"http://127.0.0.1:{_ports[0]}/");

    /// <summary>Where the app serves HTTP/1.1 request/response.</summary>
    public Uri Http1Uri => new($"http://127.0.0.1:{_ports[1]}/");

    /// <summary>Starts the app with every service bound and waits for its ready line.</summary>
    /// <param name="signingPublicKey">When set, the app accepts only requests signed by this key.</param>
    /// <param name="ct">Cancels the start.</param>
    public static async Task<ConformanceServices> StartAsync(string? signingPublicKey, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnFreePortsAsync(signingPublicKey, ct);
            }
            catch (InvalidOperationException e) when (attempt < MaxStartAttempts
                && e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                // Another process took a port between our probe and the app's bind: try again with fresh ones.
            }
        }
    }

    private static async Task<ConformanceServices> StartOnFreePortsAsync(string? signingPublicKey, CancellationToken ct)
    {
        var ports = ReservePorts(2);
        var environment = new Dictionary<string, string>
        {
            ["PORT"] = $"{ports[0]}",
            ["HTTP1_PORT"] = $"{ports[1]}",
            ["SERVICES"] = "",
            ["E2E_REQUEST_SIGNING"] = signingPublicKey ?? "",
        };
        try
        {
            var process = await DotnetAppProcess.StartAsync(Path.Combine(AppContext.BaseDirectory, AssemblyName), [],
                environment, ReadyLinePrefix, ct);
            return new ConformanceServices(process, ports);
        }
        catch
        {
            ReleasePorts(ports);
            throw;
        }
    }

    /// <summary>SIGKILLs the app, like a crashing endpoint.</summary>
    public Task KillAsync() => _process.KillAsync();

    /// <summary>Stops the app gracefully (SIGTERM).</summary>
    public Task StopAsync() => _process.StopAsync();

    /// <summary>Starts the app again on the same ports and waits for its ready line.</summary>
    public Task RestartAsync(CancellationToken ct = default) => _process.RestartAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        ReleasePorts(_ports);
    }

    private static int[] ReservePorts(int count)
    {
        lock (PortGate)
        {
            var ports = new int[count];
            for (var i = 0; i < count; i++)
            {
                int port;
                do
                {
                    using var listener = new TcpListener(IPAddress.Loopback, 0);
                    listener.Start();
                    port = ((IPEndPoint)listener.LocalEndpoint).Port;
                }
                while (!ReservedPorts.Add(port));
                ports[i] = port;
            }
            return ports;
        }
    }

    private static void ReleasePorts(int[] ports)
    {
        lock (PortGate)
        {
            foreach (var port in ports)
            {
                ReservedPorts.Remove(port);
            }
        }
    }
}

using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Restate.Sdk.Testing;

/// <summary>
/// A real <c>restate-server</c> process on private loopback ports with its own temporary data directory, for
/// integration tests. Start one with <see cref="StartAsync(RestateServerOptions?, CancellationToken)"/> and dispose it
/// to stop the process and delete the data.
/// </summary>
public sealed class RestateServer : IRestateServer
{
    private const int MaxStartAttempts = 3;
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromMinutes(5);

    // Ports handed to servers of this process and not yet released, so parallel starts never share one.
    private static readonly HashSet<int> ReservedPorts = [];
    private static readonly Lock PortGate = new();

    private readonly RestateServerOptions _options;
    private readonly string _binary;
    private readonly int[] _ports;
    private readonly Dictionary<string, string> _environment;
    private readonly HttpClient _probe;
    private readonly ManagedProcess _process;
    private readonly AdminApi _adminApi;

    private RestateServer(RestateServerOptions options, string binary, int[] ports)
    {
        _options = options;
        _binary = binary;
        _ports = ports;
        var fabricPort = ports[0];
        FabricUri = new Uri($"http://127.0.0.1:{fabricPort}/");
        AdminUri = new Uri($"http://127.0.0.1:{ports[1]}/");
        IngressUri = new Uri($"http://127.0.0.1:{ports[2]}/");
        DataDirectory = Directory.CreateTempSubdirectory("restate-testing-").FullName;

        _environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["RESTATE_BIND_ADDRESS"] = $"127.0.0.1:{fabricPort}",
            ["RESTATE_ADVERTISED_ADDRESS"] = $"http://127.0.0.1:{fabricPort}",
            ["RESTATE_ADMIN__BIND_ADDRESS"] = $"127.0.0.1:{ports[1]}",
            ["RESTATE_INGRESS__BIND_ADDRESS"] = $"127.0.0.1:{ports[2]}",
            ["RESTATE_BASE_DIR"] = DataDirectory,
            ["RESTATE_NODE_NAME"] = "n1",
            ["RESTATE_LISTEN_MODE"] = "tcp",
            ["RESTATE_DEFAULT_NUM_PARTITIONS"] = "2",
            ["RESTATE_ROCKSDB_TOTAL_MEMORY_SIZE"] = "256MiB",
            ["RESTATE_DISABLE_TELEMETRY"] = "true",
            ["RESTATE_LOG_DISABLE_ANSI_CODES"] = "true",
            ["RESTATE_AUTO_PROVISION"] = "true",
        };
        foreach (var (key, value) in options.Environment)
        {
            _environment[key] = value;
        }

        _probe = new HttpClient(new SocketsHttpHandler { ConnectTimeout = ProbeTimeout }) { Timeout = ProbeTimeout };
        Admin = CreateClient(AdminUri);
        Ingress = CreateClient(IngressUri);
        _adminApi = new AdminApi(Admin, FormatRecentLog);
        _process = new ManagedProcess(new ManagedProcessOptions
        {
            Owner = this,
            DisplayName = "restate-server",
            CreateStartInfo = CreateStartInfo,
            StartFailed = e => new InvalidOperationException($"Could not run restate-server '{_binary}': {e.Message}", e),
            CreateReadiness = CreateReadiness,
            ExitedDuringStart = (pid, exitCode) => new InvalidOperationException(
                $"restate-server (pid {pid}) exited during start-up with exit code {exitCode} " +
                $"(admin {AdminUri}, ingress {IngressUri}).{FormatRecentLog()}"),
            StartupTimeout = options.StartupTimeout,
            RecentLogCapacity = 200,
            Log = options.Log,
            IsAddressInUseLine = line => line.Contains("Address in use", StringComparison.OrdinalIgnoreCase),
            CleanupOnExit = () => ManagedProcess.DeleteDirectory(DataDirectory),
            Disposed = ReleaseResources,
        });
    }

    /// <summary>Base address of the ingress (invocations), e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri IngressUri { get; }

    /// <summary>The node's fabric address (node-to-node traffic and Prometheus <c>/metrics</c>).</summary>
    public Uri FabricUri { get; }

    /// <summary>Base address of the admin API (deployments, SQL queries, health).</summary>
    public Uri AdminUri { get; }

    /// <summary>PID of the most recently started server process (it changes on <see cref="RestartAsync"/>).</summary>
    public int ProcessId => _process.ProcessId;

    /// <summary>The server's private data directory (<c>RESTATE_BASE_DIR</c>), deleted on dispose.</summary>
    public string DataDirectory { get; }

    /// <summary>Client whose base address is <see cref="IngressUri"/>; owned and disposed by this object.</summary>
    public HttpClient Ingress { get; }

    /// <summary>Client whose base address is <see cref="AdminUri"/>; owned and disposed by this object.</summary>
    public HttpClient Admin { get; }

    /// <summary>The last lines (up to 200) the server wrote to stdout and stderr, oldest first.</summary>
    public IReadOnlyList<string> RecentLog => _process.RecentLog;

    /// <summary>
    /// Starts a single-node restate-server on free loopback ports and waits until the admin <c>/health</c> and the
    /// ingress <c>/restate/health</c> endpoints answer 200.
    /// </summary>
    /// <param name="options">Settings; null means the defaults.</param>
    /// <param name="ct">Cancels the start; the process is then stopped and its data deleted.</param>
    /// <returns>The running server.</returns>
    /// <exception cref="InvalidOperationException">The server exited during start-up (the message holds its exit
    /// code and recent output, e.g. an <c>RT0002</c> configuration error), or the binary could not be located or
    /// installed with npm.</exception>
    /// <exception cref="FileNotFoundException"><see cref="RestateServerOptions.BinaryPath"/> or
    /// <c>RESTATE_SERVER_BINARY</c> names a file that does not exist.</exception>
    /// <exception cref="TimeoutException">The server was not healthy within
    /// <see cref="RestateServerOptions.StartupTimeout"/>; the process has been killed.</exception>
    public static async Task<RestateServer> StartAsync(RestateServerOptions? options = null, CancellationToken ct = default)
    {
        options ??= new RestateServerOptions();
        EnsureFixedPortFree(options.AdminPort, "admin");
        EnsureFixedPortFree(options.IngressPort, "ingress");
        var binary = await ServerBinary.ResolveAsync(options, ct).ConfigureAwait(false);

        for (var attempt = 1; ; attempt++)
        {
            var ports = AllocatePorts(3);
            ports[1] = options.AdminPort != 0 ? options.AdminPort : ports[1];
            ports[2] = options.IngressPort != 0 ? options.IngressPort : ports[2];
            var server = new RestateServer(options, binary, ports);
            try
            {
                await server._process.StartAsync(ct).ConfigureAwait(false);
                return server;
            }
            catch (InvalidOperationException) when (server._process.AddressInUse && attempt < MaxStartAttempts)
            {
                // Another process took one of the ports between allocation and bind: try again with fresh ones.
                server._process.Emit($"[restate-testing] a port was already in use, retrying with fresh ports (attempt {attempt + 1})");
                await server.DisposeAsync().ConfigureAwait(false);
            }
            catch
            {
                await server.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>A node on ports the caller allocated (<see cref="AllocatePorts"/>: fabric, admin, ingress); not started.</summary>
    internal static RestateServer CreateNode(RestateServerOptions options, string binary, int[] ports) =>
        new(options, binary, ports);

    /// <summary>Starts a node made by <see cref="CreateNode"/> and waits for its health endpoints.</summary>
    internal Task StartNodeAsync(CancellationToken ct) => _process.StartAsync(ct);

    /// <summary>The last start failed because a port was taken between allocation and bind.</summary>
    internal bool AddressInUse => _process.AddressInUse;

    /// <summary>
    /// Registers (or, with <c>force</c>, re-registers) the service deployment at <paramref name="serviceUri"/> through
    /// the admin API <c>POST /deployments</c>.
    /// </summary>
    /// <param name="serviceUri">Where the SDK endpoint listens, e.g. <c>http://127.0.0.1:9080/</c>.</param>
    /// <param name="useHttp11">Let the server talk HTTP/1.1 instead of HTTP/2 (h2c) to the endpoint.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <returns>The deployment id (<c>dp_…</c>).</returns>
    /// <exception cref="InvalidOperationException">The server answered with a non-success status; the message holds
    /// the status, the server's error body and recent server output.</exception>
    public Task<string> RegisterDeploymentAsync(Uri serviceUri, bool useHttp11 = false, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(serviceUri);
        ObjectDisposedException.ThrowIf(_process.IsDisposed, this);
        return _adminApi.RegisterDeploymentAsync(serviceUri, useHttp11, ct);
    }

    /// <summary>
    /// Registers (or re-registers, <c>force: true</c>) a Lambda deployment through the admin API
    /// <c>POST /deployments {"arn": …}</c>. The server runs discovery by invoking the function, so start it with
    /// <c>AWS_ENDPOINT_URL_LAMBDA</c> and credentials that reach a Lambda service, e.g.
    /// <see cref="Lambda.LambdaEmulator.ClientEnvironment"/>.
    /// </summary>
    /// <param name="qualifiedArn">The function ARN with a version or alias qualifier,
    /// <c>arn:aws:lambda:us-east-1:123456789012:function:name:1</c>.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <returns>The deployment id (<c>dp_…</c>).</returns>
    /// <exception cref="InvalidOperationException">The server answered with a non-success status; the message holds
    /// the status, the server's error body and recent server output.</exception>
    public Task<string> RegisterLambdaAsync(string qualifiedArn, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(qualifiedArn);
        ObjectDisposedException.ThrowIf(_process.IsDisposed, this);
        return _adminApi.RegisterLambdaAsync(qualifiedArn, ct);
    }

    /// <summary>
    /// Runs a SQL query over the server's introspection tables (<c>sys_invocation</c>, <c>sys_journal</c>,
    /// <c>state</c>, …) through the admin API <c>POST /query</c>.
    /// </summary>
    /// <param name="sql">The query, e.g. <c>select id, status from sys_invocation</c>.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <returns>The rows, one JSON object per row keyed by column name. Columns whose value is SQL NULL are absent
    /// from the row object.</returns>
    /// <exception cref="InvalidOperationException">The query failed; the message holds the server's error.</exception>
    public Task<JsonArray> QueryAsync(string sql, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        ObjectDisposedException.ThrowIf(_process.IsDisposed, this);
        return _adminApi.QueryAsync(sql, ct);
    }

    /// <summary>Stops the server gracefully: SIGTERM, then SIGKILL if it has not exited within 10 seconds.</summary>
    /// <returns>A task that completes once the process has exited.</returns>
    public Task StopAsync() => _process.StopAsync();

    /// <summary>Kills the server at once with SIGKILL (a crash) and waits for the process to exit.</summary>
    /// <returns>A task that completes once the process has exited.</returns>
    public Task KillAsync() => _process.KillAsync();

    /// <summary>
    /// Starts the server again with the same ports, environment and data directory, and waits until it is healthy.
    /// A still-running process is stopped gracefully first. Use after <see cref="KillAsync"/> for crash tests.
    /// </summary>
    /// <param name="ct">Cancels the start; the new process is then killed.</param>
    /// <returns>A task that completes once the server is healthy again.</returns>
    /// <exception cref="InvalidOperationException">The server exited during start-up.</exception>
    /// <exception cref="TimeoutException">The server was not healthy within
    /// <see cref="RestateServerOptions.StartupTimeout"/>.</exception>
    public Task RestartAsync(CancellationToken ct = default) => _process.RestartAsync(ct);

    /// <summary>Stops the server (see <see cref="StopAsync"/>) and deletes its data directory.</summary>
    /// <returns>A task that completes once the process has exited and the data is deleted.</returns>
    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private void ReleaseResources()
    {
        Admin.Dispose();
        Ingress.Dispose();
        _probe.Dispose();
        ManagedProcess.DeleteDirectory(DataDirectory);
        lock (PortGate)
        {
            ReservedPorts.ExceptWith(_ports);
        }
    }

    private ManagedProcessReadiness CreateReadiness()
    {
        bool adminHealthy = false, ingressHealthy = false;
        return new ManagedProcessReadiness(
            async ct =>
            {
                adminHealthy = adminHealthy || await ProbeAsync(new Uri(AdminUri, "health"), ct).ConfigureAwait(false);
                ingressHealthy = ingressHealthy
                    || (adminHealthy && await ProbeAsync(new Uri(IngressUri, "restate/health"), ct).ConfigureAwait(false));
                return adminHealthy && ingressHealthy;
            },
            pid => new TimeoutException(
                $"restate-server (pid {pid}) was not healthy within {_options.StartupTimeout} and " +
                $"was killed (admin /health: " +
                $"{(adminHealthy ? "200" : "no 200")}, ingress /restate/health: " +
                $"{(ingressHealthy ? "200" : "no 200")}).{FormatRecentLog()}"));
    }

    private ProcessStartInfo CreateStartInfo()
    {
        var startInfo = new ProcessStartInfo(_binary)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = DataDirectory,
        };
        startInfo.ArgumentList.Add("--no-logo");

        // Only our settings reach the server: inherited RESTATE_* variables (RESTATE_CONFIG, ...) would make tests
        // depend on the developer's shell.
        foreach (var inherited in startInfo.Environment.Keys.Where(IsRestateVariable).ToList())
        {
            startInfo.Environment.Remove(inherited);
        }

        foreach (var (key, value) in _environment)
        {
            startInfo.Environment[key] = value;
        }

        return startInfo;

        static bool IsRestateVariable(string key) => key.StartsWith("RESTATE_", StringComparison.OrdinalIgnoreCase);
    }

    private async Task<bool> ProbeAsync(Uri uri, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            using var response = await _probe.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, timeout.Token)
                .ConfigureAwait(false);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false; // P6: the ports accept connections before the server answers.
        }
    }

    internal string FormatRecentLog() => _process.FormatRecentLog();

    internal static HttpClient CreateClient(Uri baseAddress) =>
        new(new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        })
        {
            BaseAddress = baseAddress,
            Timeout = ClientTimeout,
        };

    /// <summary>A port the caller chose must be free now; otherwise say which one, instead of a bind error later.</summary>
    private static void EnsureFixedPortFree(int port, string role)
    {
        if (port == 0)
        {
            return;
        }
        try
        {
            using var probe = new TcpListener(IPAddress.Loopback, port);
            probe.Start();
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new InvalidOperationException($"The {role} port {port} is already in use on 127.0.0.1; stop what uses it or choose another port.", e);
        }
    }

    internal static int[] AllocatePorts(int count)
    {
        var listeners = new List<TcpListener>();
        var ports = new int[count];
        lock (PortGate)
        {
            try
            {
                for (var i = 0; i < count;)
                {
                    // Each listener stays open until all ports are chosen, so the kernel hands out distinct ports.
                    var listener = new TcpListener(IPAddress.Loopback, 0);
                    listeners.Add(listener);
                    listener.Start();
                    var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                    if (ReservedPorts.Add(port))
                    {
                        ports[i++] = port;
                    }
                }
            }
            finally
            {
                foreach (var listener in listeners)
                {
                    listener.Dispose();
                }
            }
        }

        return ports;
    }
}

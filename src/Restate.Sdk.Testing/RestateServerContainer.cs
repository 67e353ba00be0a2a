using System.Text.Json.Nodes;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Containers;

namespace Restate.Sdk.Testing;

/// <summary>Settings of <see cref="RestateServerContainer.StartAsync"/>.</summary>
public sealed record RestateContainerOptions
{
    /// <summary>The image the test kit was tested against: the version its npm route pins.</summary>
    public const string DefaultImage = "docker.restate.dev/restatedev/restate:1.7.12";

    /// <summary>The restate-server image; <see cref="DefaultImage"/> unless set.</summary>
    public string Image { get; init; } = DefaultImage;

    /// <summary>Extra environment variables of the server (<c>RESTATE_…</c> settings); they override the kit's.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>How long pulling the image and starting the server may take before the start fails.</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromMinutes(3);
}

/// <summary>
/// restate-server in a container, through Testcontainers: for machines with a Docker engine and neither npm nor a
/// server binary. The test process reaches its ingress and admin API on ports Docker maps on the host; the server
/// reaches services of the test process through a forwarded host port, as <c>host.testcontainers.internal</c>.
/// Dispose it to remove the container.
/// </summary>
public sealed class RestateServerContainer : IRestateServer
{
    /// <summary>The name under which a container reaches ports of the test process that Testcontainers forwards.</summary>
    public const string HostAlias = "host.testcontainers.internal";

    private const ushort IngressPort = 8080;
    private const ushort AdminPort = 9070;

    private readonly IContainer _container;
    private readonly AdminApi _adminApi;
    private readonly HashSet<int> _forwardedPorts = [];
    private readonly SemaphoreSlim _forwarding = new(1, 1);

    private RestateServerContainer(IContainer container)
    {
        _container = container;
        IngressUri = new UriBuilder("http", container.Hostname, container.GetMappedPublicPort(IngressPort)).Uri;
        AdminUri = new UriBuilder("http", container.Hostname, container.GetMappedPublicPort(AdminPort)).Uri;
        Ingress = RestateServer.CreateClient(IngressUri);
        Admin = RestateServer.CreateClient(AdminUri);
        _adminApi = new AdminApi(Admin, () => "");
    }

    /// <inheritdoc />
    public Uri IngressUri { get; }

    /// <inheritdoc />
    public Uri AdminUri { get; }

    /// <inheritdoc />
    public HttpClient Ingress { get; }

    /// <inheritdoc />
    public HttpClient Admin { get; }

    /// <summary>Whether Testcontainers finds a Docker engine (<c>DOCKER_HOST</c>, the Docker socket, its settings file).</summary>
    public static bool IsDockerAvailable()
    {
        try
        {
            return TestcontainersSettings.OS.DockerEndpointAuthConfig is not null;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// Pulls the image if needed, starts a single-node server with the host-port forwarder running (so the container
    /// can reach the test process), and waits until the admin <c>/health</c> and the ingress <c>/restate/health</c> answer.
    /// </summary>
    /// <param name="options">Settings; null means the defaults.</param>
    /// <param name="ct">Cancels the start; the container is then removed.</param>
    /// <returns>The running server.</returns>
    /// <exception cref="InvalidOperationException">No Docker engine is reachable, or the server did not become healthy
    /// within <see cref="RestateContainerOptions.StartupTimeout"/> (the message holds its output).</exception>
    public static async Task<RestateServerContainer> StartAsync(RestateContainerOptions? options = null, CancellationToken ct = default)
    {
        options ??= new RestateContainerOptions();
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Image, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.StartupTimeout, TimeSpan.Zero, nameof(options));
        if (!IsDockerAvailable())
        {
            throw new InvalidOperationException(
                "restate-server in a container needs a Docker engine, and Testcontainers finds none (DOCKER_HOST, " +
                "/var/run/docker.sock). Without Docker, use the server process: RestateServer, from the npm package " +
                "@restatedev/restate-server or RESTATE_SERVER_BINARY.");
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.StartupTimeout);
        // The forwarder first: containers created after it resolve HostAlias to it (ContainerBuilder's default
        // WithPortForwarding), and ports are added to it when deployments are registered.
        await TestcontainersSettings.ExposeHostPortsAsync([], timeout.Token).ConfigureAwait(false);

        var builder = new ContainerBuilder(options.Image)
            .WithPortBinding(IngressPort, assignRandomHostPort: true)
            .WithPortBinding(AdminPort, assignRandomHostPort: true)
            .WithEnvironment("RESTATE_DISABLE_TELEMETRY", "true")
            .WithEnvironment("RESTATE_LOG_DISABLE_ANSI_CODES", "true")
            .WithEnvironment("RESTATE_DEFAULT_NUM_PARTITIONS", "2")
            .WithWaitStrategy(Wait.ForUnixContainer()
                .UntilHttpRequestIsSucceeded(request => request.ForPort(AdminPort).ForPath("/health"))
                .UntilHttpRequestIsSucceeded(request => request.ForPort(IngressPort).ForPath("/restate/health")));
        foreach (var (key, value) in options.Environment)
        {
            builder = builder.WithEnvironment(key, value);
        }
        var container = builder.Build();
        try
        {
            await container.StartAsync(timeout.Token).ConfigureAwait(false);
            return new RestateServerContainer(container);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            var output = await OutputAsync(container).ConfigureAwait(false);
            await container.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException(
                $"restate-server ({options.Image}) was not healthy within {options.StartupTimeout}; the container was removed.{output}");
        }
        catch
        {
            await container.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Registers the deployment at <paramref name="serviceUri"/>. A loopback address of the test process
    /// (<c>127.0.0.1</c>, <c>localhost</c>, <c>[::1]</c>) is forwarded into the container and registered as
    /// <see cref="HostAlias"/> with the same port; other addresses are registered as given.
    /// </summary>
    /// <inheritdoc />
    public async Task<string> RegisterDeploymentAsync(Uri serviceUri, bool useHttp11 = false, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(serviceUri);
        if (serviceUri.IsLoopback)
        {
            await ForwardAsync(serviceUri.Port, ct).ConfigureAwait(false);
            serviceUri = new UriBuilder(serviceUri) { Host = HostAlias }.Uri;
        }
        return await _adminApi.RegisterDeploymentAsync(serviceUri, useHttp11, ct).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<JsonArray> QueryAsync(string sql, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        return _adminApi.QueryAsync(sql, ct);
    }

    /// <summary>The server's output so far (stdout, then stderr).</summary>
    /// <param name="ct">Cancels reading.</param>
    public async Task<string> GetLogsAsync(CancellationToken ct = default)
    {
        var (stdout, stderr) = await _container.GetLogsAsync(ct: ct).ConfigureAwait(false);
        return stdout + stderr;
    }

    /// <summary>Removes the container and its data.</summary>
    public async ValueTask DisposeAsync()
    {
        Ingress.Dispose();
        Admin.Dispose();
        _forwarding.Dispose();
        await _container.DisposeAsync().ConfigureAwait(false);
    }

    private async Task ForwardAsync(int port, CancellationToken ct)
    {
        await _forwarding.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_forwardedPorts.Add(port))
            {
                await TestcontainersSettings.ExposeHostPortsAsync(checked((ushort)port), ct).ConfigureAwait(false);
            }
        }
        finally
        {
            _forwarding.Release();
        }
    }

    private static async Task<string> OutputAsync(IContainer container)
    {
        try
        {
            var (stdout, stderr) = await container.GetLogsAsync().ConfigureAwait(false);
            return $"\n--- restate-server output ---\n{stdout}{stderr}";
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or IOException)
        {
            return "";
        }
    }
}

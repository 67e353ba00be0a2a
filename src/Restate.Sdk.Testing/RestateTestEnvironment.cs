using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Restate.Sdk.AspNetCore;
using Restate.Sdk.Client;
using Restate.Sdk.Definitions;
using Restate.Sdk.DependencyInjection;
using Restate.Sdk.Endpoint;

namespace Restate.Sdk.Testing;

/// <summary>
/// Everything an integration test of Restate services needs, from one call: a real restate-server, the services
/// hosted in this process on a free loopback port, registered with the server, a <see cref="RestateClient"/> for its
/// ingress, and a reader of virtual object state. Dispose it to stop both.
/// </summary>
/// <example>
/// <code>
/// await using var restate = await RestateTestEnvironment.StartAsync(Counter.Definition());
/// var total = await restate.Client.ObjectClient&lt;CounterIngressClient&gt;("a").AddAsync(5);
/// Assert.Equal(5, await restate.GetStateAsync("Counter", "a", new StateKey&lt;long&gt;("count")));
/// </code>
/// </example>
public sealed class RestateTestEnvironment : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RestateEndpoint _endpoint;

    private RestateTestEnvironment(IRestateServer server, WebApplication app, RestateEndpoint endpoint, Uri deploymentUri, string deploymentId)
    {
        Server = server;
        _app = app;
        _endpoint = endpoint;
        DeploymentUri = deploymentUri;
        DeploymentId = deploymentId;
        Client = RestateClient.Create(server.IngressUri);
    }

    /// <summary>
    /// The server: a <see cref="RestateServer"/> process (admin API, SQL queries, kill and restart), or a
    /// <see cref="RestateServerContainer"/> when <see cref="RestateTestOptions.Container"/> is set.
    /// </summary>
    public IRestateServer Server { get; }

    /// <summary>A client of the server's ingress: calls, sends, attach, workflows, awakeables, generated clients.</summary>
    public RestateClient Client { get; }

    /// <summary>Where the services listen, as registered with the server.</summary>
    public Uri DeploymentUri { get; }

    /// <summary>The deployment id the server gave the services (<c>dp_…</c>).</summary>
    public string DeploymentId { get; }

    /// <summary>Starts the server and hosts <paramref name="services"/> with default settings.</summary>
    /// <param name="services">The services to bind, e.g. <c>Counter.Definition()</c>.</param>
    /// <exception cref="ArgumentException">No service was given.</exception>
    public static Task<RestateTestEnvironment> StartAsync(params ServiceDefinition[] services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Length == 0)
        {
            throw new ArgumentException("Give at least one service definition to host, e.g. StartAsync(Counter.Definition()).", nameof(services));
        }
        return StartAsync(endpoint =>
        {
            foreach (var service in services)
            {
                endpoint.Bind(service);
            }
        });
    }

    /// <summary>
    /// Starts the server and hosts the endpoint <paramref name="configure"/> describes: bind services, JSON contexts,
    /// interceptors, exception mappings, the same calls the application makes.
    /// </summary>
    /// <param name="configure">Configures the endpoint; it must bind at least one service.</param>
    /// <param name="options">Protocol mode, suspension, server settings, log.</param>
    /// <param name="ct">Cancels starting.</param>
    /// <exception cref="InvalidOperationException">The endpoint is invalid (no services, a misplaced option), the server
    /// did not start, or it refused the deployment; the message says which.</exception>
    public static async Task<RestateTestEnvironment> StartAsync(Action<RestateEndpointBuilder> configure, RestateTestOptions? options = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(configure);
        options = Validate(options);
        var builder = RestateEndpoint.CreateBuilder();
        configure(builder);
        if (options.ProtocolMode == ProtocolMode.RequestResponse)
        {
            builder.WithProtocolMode(ProtocolMode.RequestResponse);
        }
        // Built before anything starts, so a mistake in the endpoint costs no server start.
        var endpoint = builder.Build();
        var app = CreateAppBuilder(options).Build();
        app.MapRestate(endpoint);
        return await StartCoreAsync(app, endpoint, options, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts the server and hosts the services an application registers with dependency injection
    /// (<c>services.AddRestate(…)</c> and their dependencies, the same registration the application's
    /// <c>Program.cs</c> makes), served through <c>MapRestate()</c> with a scope per attempt.
    /// </summary>
    /// <param name="configureServices">Registers the services; it must call <c>AddRestate</c>.</param>
    /// <param name="options">Protocol mode (it overrides <c>Restate:ProtocolMode</c> from configuration), suspension, server settings, log.</param>
    /// <param name="ct">Cancels starting.</param>
    /// <exception cref="InvalidOperationException"><c>AddRestate</c> was not called, its registrations or settings are
    /// invalid, the server did not start, or it refused the deployment; the message says which.</exception>
    public static async Task<RestateTestEnvironment> StartWithServicesAsync(Action<IServiceCollection> configureServices,
        RestateTestOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(configureServices);
        options = Validate(options);
        var builder = CreateAppBuilder(options);
        configureServices(builder.Services);
        if (options.ProtocolMode == ProtocolMode.RequestResponse)
        {
            builder.Services.Configure<RestateOptions>(restate => restate.ProtocolMode = ProtocolMode.RequestResponse);
        }
        var app = builder.Build();
        try
        {
            // Builds and validates the endpoint before anything starts.
            app.MapRestate();
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return await StartCoreAsync(app, app.Services.GetRequiredService<RestateEndpoint>(), options, ct).ConfigureAwait(false);
    }

    private static RestateTestOptions Validate(RestateTestOptions? options)
    {
        options ??= new RestateTestOptions();
        if (!Enum.IsDefined(options.ProtocolMode))
        {
            throw new ArgumentException(
                $"ProtocolMode {(int)options.ProtocolMode} is not a protocol mode: use ProtocolMode.BidiStream or ProtocolMode.RequestResponse.", nameof(options));
        }
        return options;
    }

    private static async Task<RestateTestEnvironment> StartCoreAsync(WebApplication app, RestateEndpoint endpoint, RestateTestOptions options,
        CancellationToken ct)
    {
        var useHttp11 = options.ProtocolMode == ProtocolMode.RequestResponse;
        IRestateServer? server = null;
        try
        {
            if (options.Container is { } container)
            {
                // The services first: the container reaches them through a port forwarded when they are registered.
                await app.StartAsync(ct).ConfigureAwait(false);
                server = await RestateServerContainer.StartAsync(options.EffectiveContainerOptions(container), ct).ConfigureAwait(false);
            }
            else
            {
                server = await RestateServer.StartAsync(options.EffectiveServerOptions(), ct).ConfigureAwait(false);
                await app.StartAsync(ct).ConfigureAwait(false);
            }
            var uri = new Uri(app.Urls.Single());
            var deploymentId = await server.RegisterDeploymentAsync(uri, useHttp11, ct).ConfigureAwait(false);
            return new RestateTestEnvironment(server, app, endpoint, uri, deploymentId);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            if (server is not null)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }
            throw;
        }
    }

    /// <summary>
    /// The value of state <paramref name="state"/> of the virtual object (or workflow) <paramref name="service"/> with
    /// key <paramref name="key"/>, read through the server's <c>state</c> table and decoded with the state key's serde
    /// (or the one the service's handlers find for <typeparamref name="T"/>). Like <c>ctx.GetAsync</c>, the default of
    /// <typeparamref name="T"/> when absent; <see cref="GetAllStateAsync"/> tells absent from a stored default.
    /// </summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="service">The object or workflow name.</param>
    /// <param name="key">The object key or workflow id.</param>
    /// <param name="state">The state key the handlers use.</param>
    /// <param name="ct">Cancels the query.</param>
    public async Task<T?> GetStateAsync<T>(string service, string key, StateKey<T> state, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        var serde = state.Serde ?? _endpoint.SerdeFor<T>(service);
        var all = await GetAllStateAsync(service, key, ct).ConfigureAwait(false);
        return all.TryGetValue(state.Name, out var bytes) ? serde.Deserialize(bytes) : default;
    }

    /// <summary>Every state entry of the virtual object (or workflow) <paramref name="service"/> with key <paramref name="key"/>, as stored.</summary>
    /// <param name="service">The object or workflow name.</param>
    /// <param name="key">The object key or workflow id.</param>
    /// <param name="ct">Cancels the query.</param>
    /// <returns>State names and their bytes; empty when the object has no state.</returns>
    public async Task<IReadOnlyDictionary<string, ReadOnlyMemory<byte>>> GetAllStateAsync(string service, string key, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        ArgumentNullException.ThrowIfNull(key);
        var rows = await Server.QueryAsync(
            $"select key, value from state where service_name = {SqlString(service)} and service_key = {SqlString(key)}", ct).ConfigureAwait(false);
        var state = new Dictionary<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var name = row!["key"]!.GetValue<string>();
            // The query API writes binary columns as lower-case hex.
            state[name] = row["value"] is { } value ? Convert.FromHexString(value.GetValue<string>()) : ReadOnlyMemory<byte>.Empty;
        }
        return state;
    }

    /// <summary>Stops the services, then the server.</summary>
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync().ConfigureAwait(false);
        await Server.DisposeAsync().ConfigureAwait(false);
    }

    private static WebApplicationBuilder CreateAppBuilder(RestateTestOptions options)
    {
        var useHttp11 = options.ProtocolMode == ProtocolMode.RequestResponse;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (options.Log is { } log)
        {
            builder.Logging.AddProvider(new LineLoggerProvider(log));
            builder.Logging.SetMinimumLevel(LogLevel.Information);
            // Kestrel and routing at Information would drown the services' own lines.
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        }
        // Port 0: Kestrel binds a free port itself and reports it in app.Urls; HTTP/2 without TLS (h2c) for streaming.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0,
            listen => listen.Protocols = useHttp11 ? HttpProtocols.Http1 : HttpProtocols.Http2));
        return builder;
    }

    private static string SqlString(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}

/// <summary>Settings of <see cref="RestateTestEnvironment.StartAsync(Action{RestateEndpointBuilder}, RestateTestOptions?, CancellationToken)"/>.</summary>
public sealed record RestateTestOptions
{
    /// <summary>
    /// <see cref="ProtocolMode.BidiStream"/> (the default): the server talks HTTP/2 to the services and streams;
    /// <see cref="ProtocolMode.RequestResponse"/>: HTTP/1.1, and every await that cannot complete at once suspends the
    /// invocation, as on AWS Lambda.
    /// </summary>
    public ProtocolMode ProtocolMode { get; init; } = ProtocolMode.BidiStream;

    /// <summary>
    /// Suspend on every await that cannot complete at once even while streaming (the server's inactivity timeout at
    /// 0), so each test also exercises replay.
    /// </summary>
    public bool AlwaysSuspend { get; init; }

    /// <summary>Where the server binary comes from, its environment, its log; see <see cref="RestateServerOptions"/>.</summary>
    public RestateServerOptions Server { get; init; } = new();

    /// <summary>
    /// Run restate-server in a container through Testcontainers instead of as a process (needs a Docker engine; see
    /// <see cref="RestateServerContainer.IsDockerAvailable"/>); null (the default) runs the process.
    /// <see cref="RestateServerOptions.Environment"/> applies to the container too; the other process settings do not.
    /// </summary>
    public RestateContainerOptions? Container { get; init; }

    /// <summary>
    /// Receives the services' log lines at <see cref="LogLevel.Information"/> and above (<c>ctx.Logger</c>, the SDK's
    /// retry warnings), and restate-server's output unless <see cref="RestateServerOptions.Log"/> is set; for example
    /// <c>ITestOutputHelper.WriteLine</c>. Exceptions thrown by the callback are swallowed.
    /// </summary>
    public Action<string>? Log { get; init; }

    internal RestateServerOptions EffectiveServerOptions()
    {
        var server = Server.Log is null && Log is not null ? Server with { Log = Log } : Server;
        return server with { Environment = EffectiveEnvironment(server.Environment) };
    }

    internal RestateContainerOptions EffectiveContainerOptions(RestateContainerOptions container)
    {
        var environment = new Dictionary<string, string>(EffectiveEnvironment(Server.Environment));
        foreach (var (key, value) in container.Environment)
        {
            environment[key] = value;
        }
        return container with { Environment = environment };
    }

    private IReadOnlyDictionary<string, string> EffectiveEnvironment(IReadOnlyDictionary<string, string> environment)
    {
        if (!AlwaysSuspend)
        {
            return environment;
        }
        return new Dictionary<string, string>(environment)
        {
            ["RESTATE_WORKER__INVOKER__INACTIVITY_TIMEOUT"] = "0s",
        };
    }
}

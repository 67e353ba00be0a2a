using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Restate.Sdk.DependencyInjection;
using Restate.Sdk.Endpoint;

namespace Restate.Sdk.Lambda;

/// <summary>
/// A Lambda function with dependency injection, from <see cref="RestateLambda.CreateBuilder"/>: register dependencies
/// and the Restate services in <see cref="Services"/> (<c>Services.AddRestate(...)</c>, as in ASP.NET Core), then
/// <see cref="RunAsync(CancellationToken)"/>:
/// <code>
/// var builder = RestateLambda.CreateBuilder();
/// builder.Services.AddSingleton&lt;IGreetings, Greetings&gt;();
/// builder.Services.AddRestate(restate => restate.AddService&lt;Greeter&gt;());
/// return await builder.RunAsync();
/// </code>
/// </summary>
/// <remarks>
/// Deliberately not the .NET Generic Host: a plain <see cref="ServiceCollection"/> and a <see cref="ConfigurationManager"/>
/// over the environment variables, no hosted services, no appsettings files, no logging pipeline unless you add one, so
/// that a Native AOT cold start pays for little more than the container. The endpoint logs to the container's
/// <c>ILoggerFactory</c> when one is registered (<c>Services.AddLogging(...)</c>), otherwise to stdout as
/// <see cref="RestateLambdaHandler"/> does.
/// </remarks>
public sealed class RestateLambdaBuilder
{
    private readonly List<Action<IServiceCollection, IConfiguration>> _configureServices = [];
    private readonly List<Func<IServiceProvider, CancellationToken, Task>> _onInit = [];
    private readonly List<Func<IServiceProvider, CancellationToken, Task>> _beforeResponse = [];
    private bool _started;

    internal RestateLambdaBuilder(IServiceCollection services, ConfigurationManager configuration)
    {
        Services = services;
        Configuration = configuration;
    }

    /// <summary>
    /// The container. It holds <see cref="Configuration"/> as <see cref="IConfiguration"/>; add the Restate services with
    /// <c>AddRestate</c>.
    /// </summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// The function's configuration: the environment variables, where <c>__</c> separates sections
    /// (<c>Restate__IdentityKeys__0=publickeyv1_…</c>, <c>Restate__ProtocolMode</c>; see <see cref="RestateOptions"/>),
    /// and <c>RESTATE_IDENTITY_KEYS</c> (comma-separated) is read too. Add more sources here before
    /// <see cref="RunAsync(CancellationToken)"/>.
    /// </summary>
    public ConfigurationManager Configuration { get; }

    /// <summary>
    /// Registers services in the init phase, just before the container is built, so that an exception
    /// <paramref name="configure"/> throws (a setting that names no service, say) is reported to Lambda as an init error;
    /// registrations made on <see cref="Services"/> directly throw where they are made, before the function reached Lambda.
    /// <code>
    /// builder.ConfigureServices((services, configuration) =>
    ///     services.AddRestate(restate => restate.AddDefinition(Pick(configuration["SERVICE"]))));
    /// </code>
    /// </summary>
    /// <param name="configure">Gets <see cref="Services"/> and <see cref="Configuration"/>; runs once, in the order of the calls.</param>
    public RestateLambdaBuilder ConfigureServices(Action<IServiceCollection, IConfiguration> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _configureServices.Add(configure);
        return this;
    }

    /// <summary>
    /// Runs <paramref name="initAsync"/> once in the init phase, after the container and the endpoint were built and
    /// before the first invocation: to create what must exist early (a telemetry provider) or warm up connections. If it
    /// throws, the function reports an init error.
    /// </summary>
    /// <param name="initAsync">Gets the root container and the init phase's token.</param>
    public RestateLambdaBuilder OnInit(Func<IServiceProvider, CancellationToken, Task> initAsync)
    {
        ArgumentNullException.ThrowIfNull(initAsync);
        _onInit.Add(initAsync);
        return this;
    }

    /// <summary>
    /// Runs <paramref name="callbackAsync"/> after each invocation, just before its response is posted to Lambda, which
    /// may freeze the sandbox as soon as it has it: flush buffered telemetry here (see
    /// <see cref="RestateLambda.RunAsync(Func{CancellationToken, Task{RestateEndpoint}}, Func{CancellationToken, Task}, CancellationToken)"/>).
    /// A failing callback is written to stderr and fails neither the invocation nor the other callbacks.
    /// </summary>
    /// <param name="callbackAsync">Gets the root container and the invocation's token.</param>
    public RestateLambdaBuilder OnBeforeResponse(Func<IServiceProvider, CancellationToken, Task> callbackAsync)
    {
        ArgumentNullException.ThrowIfNull(callbackAsync);
        _beforeResponse.Add(callbackAsync);
        return this;
    }

    /// <summary>
    /// Serves Lambda invocations until the process ends. In the init phase it runs the
    /// <see cref="ConfigureServices"/> callbacks, builds the container and the endpoint of the <c>AddRestate</c>
    /// registrations (validating their settings) and runs the <see cref="OnInit"/> callbacks; if any of that throws, the error is reported to Lambda as an init error and the exit code is 1. Each invocation attempt runs
    /// in a dependency-injection scope of its own, disposed before the response is posted. The container is disposed when
    /// serving stops.
    /// </summary>
    /// <param name="cancellationToken">Stops serving (Lambda itself freezes or kills the process instead).</param>
    /// <returns>The process exit code: 1 when initialization failed, 0 when <paramref name="cancellationToken"/> stopped the loop.</returns>
    /// <exception cref="InvalidOperationException"><c>AWS_LAMBDA_RUNTIME_API</c> is not set (this is not a Lambda sandbox), or the builder already ran.</exception>
    /// <exception cref="HttpRequestException">The Lambda Runtime API failed; the process should exit.</exception>
    public Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        var runtimeApi = LambdaRuntime.RuntimeApiFromEnvironment(
            "RestateLambdaBuilder.RunAsync serves invocations inside an AWS Lambda custom runtime (provided.al2023). " +
            "To run the services locally, host them over HTTP with Restate.Sdk.AspNetCore (builder.Services.AddRestate, app.MapRestate()).");
        return RunAsync(runtimeApi, LambdaRuntime.DefaultDeadlineMargin, cancellationToken);
    }

    internal async Task<int> RunAsync(string runtimeApi, TimeSpan deadlineMargin, CancellationToken cancellationToken)
    {
        if (_started)
        {
            throw new InvalidOperationException("This RestateLambdaBuilder already ran: a function runs one builder once.");
        }
        _started = true;
        ServiceProvider? provider = null;
        try
        {
            return await RestateLambda.RunAsync(async initCancellation =>
                {
                    provider = BuildProvider();
                    var endpoint = ResolveEndpoint(provider);
                    foreach (var init in _onInit)
                    {
                        await init(provider, initCancellation);
                    }
                    return endpoint;
                },
                runtimeApi, deadlineMargin, cancellationToken,
                invocationCancellation => _beforeResponse.Count == 0 ? Task.CompletedTask : BeforeResponseAsync(provider!, invocationCancellation));
        }
        finally
        {
            if (provider is not null)
            {
                await provider.DisposeAsync();
            }
            Configuration.Dispose();
        }
    }

    /// <summary>The container, as the init phase builds it.</summary>
    internal ServiceProvider BuildProvider()
    {
        foreach (var configure in _configureServices)
        {
            configure(Services, Configuration);
        }
        _configureServices.Clear();
        // Scopes are validated (a scoped service resolved from the root fails); the registrations as a whole are not,
        // which would construct every service's call site at cold start.
        return Services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    /// <summary>The endpoint of the container's <c>AddRestate</c> registrations.</summary>
    /// <exception cref="InvalidOperationException"><c>AddRestate</c> was not called, or its registrations or settings are invalid.</exception>
    internal static RestateEndpoint ResolveEndpoint(IServiceProvider provider) =>
        provider.GetService<RestateEndpoint>() ?? throw new InvalidOperationException(
            "The Lambda function has no Restate services: call builder.Services.AddRestate(restate => restate.AddService<MyService>()) " +
            "before builder.RunAsync().");

    private async Task BeforeResponseAsync(IServiceProvider provider, CancellationToken cancellationToken)
    {
        foreach (var callback in _beforeResponse)
        {
            await RestateLambda.RunBeforeResponseAsync(ct => callback(provider, ct), cancellationToken);
        }
    }
}

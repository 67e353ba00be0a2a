using Microsoft.Extensions.DependencyInjection;
using Restate.Sdk.Client;
using Restate.Sdk.Endpoint;
using Xunit;

namespace Restate.Sdk.Testing.Xunit;

/// <summary>What both fixtures share: the environment's lifetime in xunit, its client and its state reader.</summary>
public abstract class RestateFixtureBase : IAsyncLifetime
{
    private RestateTestEnvironment? _environment;

    /// <summary>The running environment: server, deployment, client, state reader.</summary>
    /// <exception cref="InvalidOperationException">Used before xunit initialized the fixture.</exception>
    public RestateTestEnvironment Environment =>
        _environment ?? throw new InvalidOperationException($"{GetType().Name} is not started: xunit starts it when a test class takes it as IClassFixture<{GetType().Name}>.");

    /// <summary>The ingress client of <see cref="Environment"/>.</summary>
    public RestateClient Client => Environment.Client;

    /// <summary>Reads a virtual object's state; see <see cref="RestateTestEnvironment.GetStateAsync{T}"/>.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="service">The object or workflow name.</param>
    /// <param name="key">The object key or workflow id.</param>
    /// <param name="state">The state key the handlers use.</param>
    public Task<T?> GetStateAsync<T>(string service, string key, StateKey<T> state) => Environment.GetStateAsync(service, key, state);

    /// <summary>Protocol mode, suspension, server settings; the defaults unless overridden.</summary>
    protected virtual RestateTestOptions Options => new();

    /// <summary>Starts the environment; called once by <see cref="InitializeAsync"/>.</summary>
    protected abstract Task<RestateTestEnvironment> StartAsync();

    /// <inheritdoc />
    public async Task InitializeAsync() => _environment = await StartAsync().ConfigureAwait(false);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_environment is not null)
        {
            await _environment.DisposeAsync().ConfigureAwait(false);
        }
    }
}

using Restate.Sdk.Client;
using Restate.Sdk.Endpoint;
using Xunit;

namespace Restate.Sdk.Testing.Xunit;

/// <summary>
/// An xunit class (or collection) fixture that starts a <see cref="RestateTestEnvironment"/> once for the tests that
/// share it: derive from it, bind the services in <see cref="Configure"/>, and take it in the test class's constructor.
/// </summary>
/// <example>
/// <code>
/// public sealed class CounterFixture : RestateFixture
/// {
///     protected override void Configure(RestateEndpointBuilder endpoint) => endpoint.Bind(Counter.Definition());
/// }
///
/// public sealed class CounterTests(CounterFixture restate) : IClassFixture&lt;CounterFixture&gt;
/// {
///     [Fact]
///     public async Task Add_Five_ReturnsFive() =>
///         Assert.Equal(5, await restate.Client.ObjectClient&lt;CounterIngressClient&gt;(Guid.NewGuid().ToString()).AddAsync(5));
/// }
/// </code>
/// </example>
public abstract class RestateFixture : IAsyncLifetime
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

    /// <summary>Binds the services under test, and anything else the application sets on its endpoint.</summary>
    /// <param name="endpoint">The endpoint builder.</param>
    protected abstract void Configure(RestateEndpointBuilder endpoint);

    /// <summary>Protocol mode, suspension, server settings; the defaults unless overridden.</summary>
    protected virtual RestateTestOptions Options => new();

    /// <inheritdoc />
    public async Task InitializeAsync() => _environment = await RestateTestEnvironment.StartAsync(Configure, Options).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_environment is not null)
        {
            await _environment.DisposeAsync().ConfigureAwait(false);
        }
    }
}

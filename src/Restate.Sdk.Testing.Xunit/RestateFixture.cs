using Microsoft.Extensions.DependencyInjection;
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
public abstract class RestateFixture : RestateFixtureBase
{
    /// <summary>Binds the services under test, and anything else the application sets on its endpoint.</summary>
    /// <param name="endpoint">The endpoint builder.</param>
    protected abstract void Configure(RestateEndpointBuilder endpoint);

    /// <inheritdoc />
    protected override Task<RestateTestEnvironment> StartAsync() => RestateTestEnvironment.StartAsync(Configure, Options);
}

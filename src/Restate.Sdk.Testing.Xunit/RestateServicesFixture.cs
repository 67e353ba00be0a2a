using Microsoft.Extensions.DependencyInjection;
using Restate.Sdk.Client;
using Restate.Sdk.Endpoint;
using Xunit;

namespace Restate.Sdk.Testing.Xunit;

/// <summary>
/// Like <see cref="RestateFixture"/>, for applications that register their services with dependency injection: register
/// them in <see cref="ConfigureServices"/> as <c>Program.cs</c> does (<c>services.AddRestate(…)</c> and the
/// dependencies); each invocation attempt gets a scope of its own, as in the application.
/// </summary>
/// <example>
/// <code>
/// public sealed class AppFixture : RestateServicesFixture
/// {
///     protected override void ConfigureServices(IServiceCollection services) =>
///         services.AddRestate(restate => restate.AddService&lt;Counter&gt;());
/// }
/// </code>
/// </example>
public abstract class RestateServicesFixture : RestateFixtureBase
{
    /// <summary>Registers the services under test and their dependencies; it must call <c>AddRestate</c>.</summary>
    /// <param name="services">The container of the hosted services.</param>
    protected abstract void ConfigureServices(IServiceCollection services);

    /// <inheritdoc />
    protected override Task<RestateTestEnvironment> StartAsync() => RestateTestEnvironment.StartWithServicesAsync(ConfigureServices, Options);
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Restate.Sdk.DependencyInjection;
using Restate.Sdk.Endpoint;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Restate services in a dependency-injection container.</summary>
public static class RestateServiceCollectionExtensions
{
    /// <summary>
    /// Registers the services of a Restate deployment and their endpoint, whose settings
    /// (<see cref="RestateOptions"/>) come from the <c>Restate</c> configuration section:
    /// <code>
    /// builder.Services.AddRestate(restate => restate
    ///     .AddService&lt;Counter&gt;()                                   // generated class, instances from DI
    ///     .ConfigureEndpoint(endpoint => endpoint.WithJsonContext(AppJson.Default)));
    /// app.MapRestate();                                                  // Restate.Sdk.AspNetCore
    /// </code>
    /// Calling it again adds to the same registration. The endpoint is the container's <see cref="RestateEndpoint"/>
    /// singleton, built when first resolved: then the options are validated, and a registration without services or a
    /// service name registered twice fails with a message naming it. It logs to the container's
    /// <see cref="ILoggerFactory"/>, if there is one.
    /// </summary>
    /// <param name="services">The container.</param>
    /// <param name="configure">Registers services and endpoint settings.</param>
    /// <returns>The registration, for more calls.</returns>
    public static RestateBuilder AddRestate(this IServiceCollection services, Action<RestateBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var registry = FindRegistry(services);
        if (registry is null)
        {
            registry = new RestateRegistry();
            services.AddSingleton(registry);
            services.AddOptions();
            services.AddSingleton<IConfigureOptions<RestateOptions>>(provider =>
                new RestateConfigurationBinding(provider.GetService<IConfiguration>(), registry));
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RestateOptions>, RestateOptionsValidator>());
            services.TryAddSingleton(provider => new AttemptScopes(provider));
            services.TryAddSingleton(provider => RestateEndpointFactory.Create(provider, registry));
        }
        var builder = new RestateBuilder(services, registry);
        configure?.Invoke(builder);
        return builder;
    }

    private static RestateRegistry? FindRegistry(IServiceCollection services)
    {
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(RestateRegistry) && !descriptor.IsKeyedService && descriptor.ImplementationInstance is RestateRegistry registry)
            {
                return registry;
            }
        }
        return null;
    }
}

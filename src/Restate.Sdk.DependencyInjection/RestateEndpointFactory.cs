using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Restate.Sdk.Definitions;
using Restate.Sdk.Endpoint;

namespace Restate.Sdk.DependencyInjection;

/// <summary>Builds the endpoint of a container's <c>AddRestate</c> registrations.</summary>
internal static class RestateEndpointFactory
{
    public static RestateEndpoint Create(IServiceProvider provider, RestateRegistry registry)
    {
        if (registry.Services.Count == 0)
        {
            throw new InvalidOperationException(
                "AddRestate registered no services, so there is nothing to serve: register them in AddRestate(restate => restate" +
                ".AddService<MyService>()) for generated classes, or .AddDefinition(definition) for builder-API and static ones.");
        }
        var options = provider.GetRequiredService<IOptions<RestateOptions>>().Value;
        var scopes = provider.GetRequiredService<AttemptScopes>();
        // Outermost, so that every other interceptor and the handler run inside the attempt's scope.
        var endpoint = RestateEndpoint.CreateBuilder().WithInterceptor(scopes.Interceptor);
        if (provider.GetService<ILoggerFactory>() is { } loggerFactory)
        {
            endpoint.WithLoggerFactory(loggerFactory);
        }
        endpoint.WithIdentityKeys(options.IdentityKeys).WithProtocolMode(options.ProtocolMode)
            .WithJournalMismatchBehavior(options.OnJournalMismatch);

        var registeredBy = new Dictionary<string, string>(StringComparer.Ordinal);
        var definitions = new List<ServiceDefinition>();
        foreach (var registration in registry.Services)
        {
            var definition = registration.Create(scopes);
            if (registeredBy.TryGetValue(definition.Name, out var first))
            {
                throw new InvalidOperationException(
                    $"Service '{definition.Name}' is registered twice with AddRestate: by {first} and by {registration.Description}. " +
                    "A deployment serves each service name once: remove one of the registrations.");
            }
            registeredBy.Add(definition.Name, registration.Description);
            definitions.Add(definition);
        }
        foreach (var definition in ApplyConfiguredOptions(definitions, options, registry.ConfigurationSection))
        {
            endpoint.Bind(definition);
        }
        foreach (var step in registry.EndpointSteps)
        {
            step(endpoint, scopes.Provider);
        }
        return endpoint.Build();
    }

    /// <summary>The definitions with <see cref="RestateOptions.Services"/> replacing the options their code set.</summary>
    private static List<ServiceDefinition> ApplyConfiguredOptions(List<ServiceDefinition> definitions, RestateOptions options, string? section)
    {
        if (options.Services is not { Count: > 0 } configured)
        {
            return definitions;
        }
        var prefix = $"{section ?? nameof(RestateOptions)}:{nameof(RestateOptions.Services)}";
        var result = new List<ServiceDefinition>(definitions);
        foreach (var (name, serviceOptions) in configured)
        {
            // Restate names are case-sensitive, configuration keys are not: an exact match wins over one in another casing.
            var index = definitions.FindIndex(d => d.Name == name);
            if (index < 0)
            {
                index = definitions.FindIndex(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));
            }
            if (index < 0)
            {
                throw new InvalidOperationException(
                    $"Configuration '{prefix}:{name}' names no service registered with AddRestate; the services are " +
                    $"{string.Join(", ", definitions.Select(d => d.Name))}.");
            }
            if (serviceOptions is not null)
            {
                result[index] = serviceOptions.ApplyTo(result[index], $"{prefix}:{name}");
            }
        }
        return result;
    }
}

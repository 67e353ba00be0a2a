using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Restate.Sdk.Definitions;
using Restate.Sdk.Endpoint;

namespace Restate.Sdk.DependencyInjection;

/// <summary>
/// Registers the services of a Restate deployment in a dependency-injection container, from
/// <c>services.AddRestate(restate => …)</c>. The endpoint is built from them once, when it is first needed
/// (<c>MapRestate()</c> in ASP.NET Core, the init phase of a Lambda function), and is the container's
/// <see cref="RestateEndpoint"/> singleton.
/// </summary>
/// <remarks>
/// Every invocation attempt runs in a scope of its own: instances of <see cref="AddService{T}"/> classes and the scoped
/// services they depend on are resolved from a scope created when the attempt starts and disposed when it ends, whether
/// it completes, fails or suspends. A run closure that is still executing when its attempt ends (it was cancelled through
/// its token) must not use scoped services after that.
/// </remarks>
public sealed class RestateBuilder
{
    private readonly RestateRegistry _registry;

    internal RestateBuilder(IServiceCollection services, RestateRegistry registry)
    {
        Services = services;
        _registry = registry;
    }

    /// <summary>The container the services and their dependencies are registered in.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Serves the generated service class <typeparamref name="T"/> (a <c>[Service]</c>, <c>[VirtualObject]</c> or
    /// <c>[Workflow]</c> partial class, which the source generator makes an <see cref="IRestateService{TSelf}"/>); each
    /// invocation attempt runs on an instance resolved from the attempt's scope, constructor dependencies included.
    /// <typeparamref name="T"/> is registered as transient unless the container already has a registration for it (add
    /// your own first, say as a singleton or with a factory, to change that).
    /// </summary>
    /// <typeparam name="T">The service class.</typeparam>
    /// <remarks>Static classes implement no interface: register them with <c>AddDefinition(MyService.Definition())</c>.</remarks>
    public RestateBuilder AddService<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>()
        where T : class, IRestateService<T>
    {
        Services.TryAddTransient<T>();
        var what = $"AddService<{typeof(T).Name}>()";
        _registry.Services.Add(new ServiceRegistration(what, scopes => T.Definition(() => scopes.Current(what).GetRequiredService<T>())));
        return this;
    }

    /// <summary>Serves a definition built beforehand (the builder API, or a generated static class's <c>Definition()</c>).</summary>
    /// <param name="definition">The definition.</param>
    public RestateBuilder AddDefinition(ServiceDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        _registry.Services.Add(new ServiceRegistration($"AddDefinition(ServiceDefinition '{definition.Name}')", _ => definition));
        return this;
    }

    /// <summary>
    /// Serves a definition built from the container when the endpoint is built, for builder-API services with
    /// dependencies. The provider passed resolves from the running attempt's scope while handler code runs, and from the
    /// root container outside attempts (so resolve scoped services inside the handlers, not while building the definition):
    /// <code>
    /// restate.AddDefinition(services => ServiceDefinition.ForService("Greeter")
    ///     .Handler("greet", (Context ctx, string name) => services.GetRequiredService&lt;Greetings&gt;().GreetAsync(ctx, name))
    ///     .Build());
    /// </code>
    /// </summary>
    /// <param name="factory">Builds the definition; called once.</param>
    public RestateBuilder AddDefinition(Func<IServiceProvider, ServiceDefinition> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var what = $"AddDefinition(Func<IServiceProvider, ServiceDefinition>) #{_registry.Services.Count + 1}";
        _registry.Services.Add(new ServiceRegistration(what, scopes => factory(scopes.Provider)
            ?? throw new InvalidOperationException($"The factory of {what} returned null instead of a ServiceDefinition.")));
        return this;
    }

    /// <summary>
    /// Adds endpoint settings: JSON contexts, interceptors, exception mappings
    /// (<see cref="RestateEndpointBuilder.WithJsonContext"/>, <see cref="RestateEndpointBuilder.WithInterceptor"/>,
    /// <see cref="RestateEndpointBuilder.MapExceptionToTerminal{TException}"/>). Runs when the endpoint is built, after
    /// <see cref="RestateOptions"/> are applied (so it may override them) and in the order of the calls. Interceptors added
    /// here run inside the attempt's scope.
    /// </summary>
    /// <param name="configure">Changes the endpoint builder.</param>
    public RestateBuilder ConfigureEndpoint(Action<RestateEndpointBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _registry.EndpointSteps.Add((endpoint, _) => configure(endpoint));
        return this;
    }

    /// <summary>
    /// Like <see cref="ConfigureEndpoint(Action{RestateEndpointBuilder})"/>, with the container: its provider resolves
    /// from the running attempt's scope while an attempt runs (an interceptor can keep it and resolve scoped services in
    /// <see cref="RestateInterceptor.InterceptAttemptAsync"/>), and from the root container otherwise.
    /// </summary>
    /// <param name="configure">Changes the endpoint builder.</param>
    public RestateBuilder ConfigureEndpoint(Action<RestateEndpointBuilder, IServiceProvider> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _registry.EndpointSteps.Add(configure);
        return this;
    }

    /// <summary>
    /// Adds an interceptor resolved from the container (registered as a singleton unless it already is registered),
    /// in the order of the <see cref="ConfigureEndpoint(Action{RestateEndpointBuilder})"/> calls; it runs inside the
    /// attempt's scope.
    /// </summary>
    /// <typeparam name="T">The interceptor type.</typeparam>
    public RestateBuilder AddInterceptor<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>()
        where T : RestateInterceptor
    {
        Services.TryAddSingleton<T>();
        _registry.EndpointSteps.Add((endpoint, services) => endpoint.WithInterceptor(services.GetRequiredService<T>()));
        return this;
    }

    /// <summary>Changes the options after they were bound from configuration.</summary>
    /// <param name="configure">Changes the options.</param>
    public RestateBuilder Configure(Action<RestateOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure(configure);
        return this;
    }

    /// <summary>
    /// Reads <see cref="RestateOptions"/> from another configuration section than <c>Restate</c>, e.g.
    /// <c>Services:Restate</c>; null reads none (the <c>RESTATE_IDENTITY_KEYS</c> key is read either way).
    /// </summary>
    /// <param name="sectionPath">The section's path, or null.</param>
    public RestateBuilder BindConfiguration(string? sectionPath)
    {
        if (sectionPath is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(sectionPath);
        }
        _registry.ConfigurationSection = sectionPath;
        return this;
    }
}

/// <summary>What <c>AddRestate</c> calls registered in one container; kept in it as a singleton instance.</summary>
internal sealed class RestateRegistry
{
    public List<ServiceRegistration> Services { get; } = [];

    public List<Action<RestateEndpointBuilder, IServiceProvider>> EndpointSteps { get; } = [];

    public string? ConfigurationSection { get; set; } = RestateOptions.DefaultSectionName;
}

/// <summary>One service: how the registration call reads (for errors) and how to build its definition.</summary>
internal sealed record ServiceRegistration(string Description, Func<AttemptScopes, ServiceDefinition> Create);

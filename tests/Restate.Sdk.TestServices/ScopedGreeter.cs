using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Restate.Sdk.TestServices;

/// <summary>
/// A generated service whose instances come from dependency injection (<c>AddRestate(r => r.AddService&lt;ScopedGreeter&gt;())</c>),
/// for the hosting tests: it records which scoped and singleton instances each attempt got.
/// </summary>
[Service("ScopedGreeter")]
public sealed partial class ScopedGreeter(AttemptResource resource, ResourceUser user, SharedCounter shared, SideEffectLog log)
{
    /// <summary>
    /// Sleep, run, sleep: where every await suspends, each ends an attempt. Records
    /// <c>enter:{invocation}:{scoped resource}:{singleton}:{whether the resource injected elsewhere in the scope is the same}</c>.
    /// </summary>
    [Handler("greet")]
    public async Task<string> GreetAsync(Context ctx, string name)
    {
        log.Record($"enter:{ctx.InvocationId}:{resource.Id}:{shared.Id}:{ReferenceEquals(user.Resource, resource)}");
        Log.Greeting(ctx.Logger, name);
        await ctx.SleepAsync(TimeSpan.FromMilliseconds(1), "first");
        await ctx.RunAsync("step", _ => Task.CompletedTask);
        await ctx.SleepAsync(TimeSpan.FromMilliseconds(1), "second");
        return $"hello {name}";
    }

    /// <summary>Fails its first attempt (a retryable error), then answers: the failed attempt's scope is disposed too.</summary>
    [Handler("failOnce")]
    public Task<string> FailOnceAsync(Context ctx)
    {
        log.Record($"enter:{ctx.InvocationId}:{resource.Id}:{shared.Id}:{ReferenceEquals(user.Resource, resource)}");
        if (ctx.Request.RetryCountSinceLastStoredEntry == 0)
        {
            throw new InvalidOperationException("first attempt fails");
        }
        return Task.FromResult("recovered");
    }

    /// <summary>A handler that hosting tests hide from the ingress through configuration.</summary>
    [Handler("internal")]
    public static Task<string> InternalAsync(Context ctx) => Task.FromResult("internal");

    /// <summary>Registers the dependencies: the resource and its user scoped, the counter and the log singletons.</summary>
    public static IServiceCollection AddDependencies(IServiceCollection services, SideEffectLog log)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services
            .AddSingleton(log)
            .AddSingleton<SharedCounter>()
            .AddScoped<AttemptResource>()
            .AddScoped<ResourceUser>();
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "greeting {Name}")]
        public static partial void Greeting(ILogger logger, string name);
    }
}

/// <summary>A scoped dependency: one per invocation attempt, which records its disposal as <c>dispose:{id}</c>.</summary>
public sealed class AttemptResource(SideEffectLog log) : IAsyncDisposable
{
    public string Id { get; } = Guid.NewGuid().ToString("N");

    public ValueTask DisposeAsync()
    {
        log.Record($"dispose:{Id}");
        return ValueTask.CompletedTask;
    }
}

/// <summary>Another scoped service that depends on <see cref="AttemptResource"/>: within an attempt it gets the same one.</summary>
public sealed class ResourceUser(AttemptResource resource)
{
    public AttemptResource Resource { get; } = resource;
}

/// <summary>A singleton: every attempt of every invocation gets this one.</summary>
public sealed class SharedCounter
{
    public string Id { get; } = Guid.NewGuid().ToString("N");
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Restate.Sdk.DependencyInjection;

/// <summary>
/// One dependency-injection scope per invocation attempt. <see cref="Interceptor"/>, the outermost interceptor of the
/// endpoint that <c>AddRestate</c> builds, creates the scope when an attempt starts and disposes it when the attempt ends
/// (completed, failed or suspended: a suspended attempt ends inside the handler with <see cref="AttemptEndedException"/>),
/// and keeps it in an <see cref="AsyncLocal{T}"/> for the attempt's code. <see cref="Provider"/> resolves from that scope
/// while an attempt runs and from the root container otherwise.
/// </summary>
internal sealed class AttemptScopes
{
    private readonly AsyncLocal<IServiceProvider?> _current = new();
    private readonly IServiceProvider _root;

    public AttemptScopes(IServiceProvider root)
    {
        _root = root;
        var logger = root.GetService<ILoggerFactory>()?.CreateLogger("Restate.Sdk.DependencyInjection") ?? NullLogger.Instance;
        Interceptor = new ScopeInterceptor(this, root.GetRequiredService<IServiceScopeFactory>(), logger);
        Provider = new AttemptServiceProvider(this);
    }

    public RestateInterceptor Interceptor { get; }

    /// <summary>The running attempt's scope, else the root container: what <c>AddDefinition</c> factories and endpoint configuration get.</summary>
    public IServiceProvider Provider { get; }

    /// <summary>The running attempt's services.</summary>
    /// <exception cref="InvalidOperationException">No attempt of this container's endpoint is running on this flow.</exception>
    public IServiceProvider Current(string what) => _current.Value ?? throw new InvalidOperationException(
        $"{what} resolves its instance from the dependency-injection scope of the running invocation attempt, but no attempt " +
        "of the endpoint that AddRestate builds is running here. Serve the definitions registered with AddRestate through that " +
        "endpoint (MapRestate(), RestateLambda.CreateBuilder(), or the RestateEndpoint resolved from the same container), " +
        "not through one built by hand.");

    private IServiceProvider CurrentOrRoot => _current.Value ?? _root;

    private sealed class ScopeInterceptor(AttemptScopes owner, IServiceScopeFactory scopes, ILogger logger) : RestateInterceptor
    {
        public override async Task InterceptAttemptAsync(Context attempt, Func<Task> proceed)
        {
            ArgumentNullException.ThrowIfNull(proceed);
            var scope = scopes.CreateAsyncScope();
            // Set inside this async method, the value flows into proceed (the handler and the inner interceptors) and is
            // gone for the caller once this method returns.
            owner._current.Value = scope.ServiceProvider;
            try
            {
                await proceed();
            }
            finally
            {
                try
                {
                    await scope.DisposeAsync();
                }
#pragma warning disable CA1031 // A service failing to dispose must not replace the attempt's outcome (and retry it forever).
                catch (Exception e)
#pragma warning restore CA1031
                {
                    Log.ScopeDisposeFailed(logger, e, attempt.Request.InvocationId);
                }
            }
        }
    }

    /// <summary>Resolves from the running attempt's scope, or from the root container outside attempts.</summary>
    private sealed class AttemptServiceProvider(AttemptScopes owner) : IServiceProvider, IKeyedServiceProvider
    {
        public object? GetService(Type serviceType) => owner.CurrentOrRoot.GetService(serviceType);

        public object? GetKeyedService(Type serviceType, object? serviceKey) =>
            Keyed().GetKeyedService(serviceType, serviceKey);

        public object GetRequiredKeyedService(Type serviceType, object? serviceKey) =>
            Keyed().GetRequiredKeyedService(serviceType, serviceKey);

        private IKeyedServiceProvider Keyed() => owner.CurrentOrRoot as IKeyedServiceProvider
            ?? throw new InvalidOperationException("The dependency-injection container does not support keyed services.");
    }
}

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Error, "Disposing the dependency-injection scope of an attempt of invocation {InvocationId} failed; the attempt's outcome stands.")]
    public static partial void ScopeDisposeFailed(ILogger logger, Exception exception, string invocationId);
}

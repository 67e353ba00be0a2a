namespace Restate.Sdk;

/// <summary>
/// Code around every handler attempt and every run closure of an endpoint: logging scopes, metrics, tenancy, auditing.
/// Register instances with <c>RestateEndpointBuilder.WithInterceptor</c>; the first registered is the outermost.
/// Override what you need and call <c>proceed</c> exactly once; an exception it throws is the attempt's (or run's) outcome,
/// so an interceptor sees failures, and may translate one (for example into a <see cref="TerminalException"/>).
/// </summary>
/// <remarks>
/// <para>
/// <see cref="InterceptAttemptAsync"/> runs on the invocation's scheduler, like the handler: await plain tasks there
/// without <c>ConfigureAwait(false)</c>, or the handler after it runs off its scheduler and its context throws. It runs
/// once per attempt, replays included: to log or count once per invocation, look at
/// <see cref="InvocationRequest.RetryCountSinceLastStoredEntry"/> or keep what is journaled out of it. An attempt that
/// suspends ends inside <c>proceed</c> with <see cref="AttemptEndedException"/>, which the interceptor must let pass.
/// </para>
/// <para>
/// <see cref="InterceptRunAsync"/> runs on the thread pool around the closure of a <c>RunAsync</c> that executes (not
/// when its result is replayed); the context cannot be used there, as inside the closure.
/// </para>
/// </remarks>
public abstract class RestateInterceptor
{
    /// <summary>Wraps one attempt of a handler; <paramref name="proceed"/> runs the handler (and the inner interceptors).</summary>
    /// <param name="attempt">The handler's context: its request, key, logger.</param>
    /// <param name="proceed">Runs the rest of the attempt; call it exactly once.</param>
    public virtual Task InterceptAttemptAsync(Context attempt, Func<Task> proceed)
    {
        ArgumentNullException.ThrowIfNull(proceed);
        return proceed();
    }

    /// <summary>Wraps one execution of a run closure; <paramref name="proceed"/> runs the closure (and the inner interceptors).</summary>
    /// <param name="run">The run's name and the invocation it belongs to.</param>
    /// <param name="proceed">Runs the closure; call it exactly once.</param>
    public virtual Task InterceptRunAsync(RunExecution run, Func<Task> proceed)
    {
        ArgumentNullException.ThrowIfNull(proceed);
        return proceed();
    }
}

/// <summary>A run closure about to execute, as interceptors see it.</summary>
/// <param name="Name">The run's name.</param>
/// <param name="Request">The invocation the run belongs to.</param>
/// <param name="AttemptEnded">Cancelled when the attempt ends; the closure gets the same token.</param>
public sealed record RunExecution(string Name, InvocationRequest Request, CancellationToken AttemptEnded);

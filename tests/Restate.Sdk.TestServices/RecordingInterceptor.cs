namespace Restate.Sdk.TestServices;

/// <summary>
/// Intercepts the <c>Intercepted</c> service only: records every attempt and run execution with its outcome, and turns
/// a <see cref="KeyNotFoundException"/> of a handler into a terminal 404 (the kind of mapping interceptors are for).
/// </summary>
public sealed class RecordingInterceptor(SideEffectLog log) : RestateInterceptor
{
    public const string Service = "Intercepted";

    public override async Task InterceptAttemptAsync(Context attempt, Func<Task> proceed)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(proceed);
        if (attempt.Request.Target.Service != Service)
        {
            await proceed();
            return;
        }
        var id = attempt.InvocationId;
        try
        {
            await proceed();
            log.Record($"attempt:{id}:ok");
        }
        catch (AttemptEndedException)
        {
            log.Record($"attempt:{id}:ended");
            throw;
        }
        catch (KeyNotFoundException e)
        {
            log.Record($"attempt:{id}:mapped");
            throw new TerminalException($"not found: {e.Message}", 404);
        }
    }

    public override async Task InterceptRunAsync(RunExecution run, Func<Task> proceed)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(proceed);
        if (run.Request.Target.Service == Service)
        {
            log.Record($"run:{run.Request.InvocationId}:{run.Name}");
        }
        await proceed();
    }
}

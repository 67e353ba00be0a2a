namespace Restate.Sdk.Testing;

/// <summary>
/// Stands between the SDK and run closures: replaces or fails the scripted ones, and notes which closures executed
/// and which exception made an attempt fail, so the fake can count executions and rethrow the real exception.
/// </summary>
internal sealed class FakeRunInterceptor(IReadOnlyDictionary<string, FakeContextOptions.RunScript> scripts) : RestateInterceptor
{
    private readonly Lock _lock = new();
    private readonly List<string> _executed = [];

    /// <summary>The last retryable exception a run closure threw in the current attempt.</summary>
    public Exception? LastFailure { get; private set; }

    /// <summary>Clears what the previous attempt noted.</summary>
    public void BeginAttempt()
    {
        lock (_lock)
        {
            _executed.Clear();
            LastFailure = null;
        }
    }

    /// <summary>The names of the runs executed in the current attempt, in the order they started.</summary>
    public IReadOnlyList<string> Executed()
    {
        lock (_lock)
        {
            return [.. _executed];
        }
    }

    public override async Task InterceptRunAsync(RunExecution run, Func<Task> proceed)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(proceed);
        scripts.TryGetValue(run.Name, out var script);
        if (script?.Result is not null)
        {
            // Not executed: the runtime journals the scripted result in place of the (empty) proposal.
            return;
        }
        lock (_lock)
        {
            _executed.Add(run.Name);
        }
        try
        {
            if (script?.Failure is { } failure)
            {
                throw failure;
            }
            await proceed().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not TerminalException)
        {
            lock (_lock)
            {
                LastFailure = e;
            }
            throw;
        }
    }
}

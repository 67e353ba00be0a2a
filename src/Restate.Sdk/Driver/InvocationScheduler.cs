namespace Restate.Sdk.Driver;

/// <summary>
/// Runs one invocation's work items one at a time, in the order they were posted, on pool threads. Handler code runs
/// here (it is the SynchronizationContext of its awaits), so the order of its commands never depends on thread
/// timing. When the queue drains, <c>onIdle</c> runs: that is where the invocation awaits durable results.
/// </summary>
internal sealed class InvocationScheduler(Action onIdle, Action<Exception> onError) : SynchronizationContext
{
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _queue = new();
    private readonly Lock _lock = new();
    private bool _draining;
    private int _drainingThread = -1;

    /// <summary>True when called from this scheduler's own work (the only place the state machine may be touched).</summary>
    public bool IsCurrent => _drainingThread == Environment.CurrentManagedThreadId && Current == this;

    public override void Post(SendOrPostCallback d, object? state)
    {
        lock (_lock)
        {
            _queue.Enqueue((d, state));
            if (_draining)
            {
                return;
            }
            _draining = true;
        }
        ThreadPool.UnsafeQueueUserWorkItem(static self => self.Drain(), this, preferLocal: false);
    }

    public void Post(Action action) => Post(static state => ((Action)state!)(), action);

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("Synchronous Send is not supported on a Restate invocation; await instead.");

    public override SynchronizationContext CreateCopy() => this;

    private void Drain()
    {
        var previous = Current;
        SetSynchronizationContext(this);
        _drainingThread = Environment.CurrentManagedThreadId;
        try
        {
            while (true)
            {
                while (TryDequeue(out var item))
                {
                    Run(item.Callback, item.State);
                }
                Run(static state => ((Action)state!)(), onIdle);
                lock (_lock)
                {
                    if (_queue.Count == 0)
                    {
                        _drainingThread = -1;
                        _draining = false;
                        return;
                    }
                }
            }
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }

    private void Run(SendOrPostCallback callback, object? state)
    {
        try
        {
            callback(state);
        }
        catch (Exception e)
        {
            onError(e);
        }
    }

    private bool TryDequeue(out (SendOrPostCallback Callback, object? State) item)
    {
        lock (_lock)
        {
            return _queue.TryDequeue(out item);
        }
    }
}

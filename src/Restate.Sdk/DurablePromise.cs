using Restate.Sdk.Driver;

namespace Restate.Sdk;

/// <summary>A workflow's named durable promise: completed once (by any handler of the workflow), awaited by any.</summary>
/// <typeparam name="T">The value type.</typeparam>
public sealed class DurablePromise<T>
{
    private readonly InvocationCore _core;
    private readonly Serde<T> _serde;

    internal DurablePromise(InvocationCore core, string name, Serde<T> serde)
    {
        _core = core;
        Name = name;
        _serde = serde;
    }

    /// <summary>The promise name.</summary>
    public string Name { get; }

    /// <summary>Waits for the promise's value (throws <see cref="TerminalException"/> if it was rejected).</summary>
    public DurableFuture<T> GetAsync() => _core.GetPromise(Name, _serde);

    /// <summary>Reads the promise without waiting.</summary>
    public DurableFuture<PromiseState<T>> PeekAsync() => _core.PeekPromise(Name, _serde);

    /// <summary>Completes the promise with a value; awaiting throws a <see cref="TerminalException"/> if it was already completed.</summary>
    /// <param name="value">The value.</param>
    public DurableFuture ResolveAsync(T value) => _core.CompletePromise(Name, InvocationCore.Success(value, _serde));

    /// <summary>Fails the promise; awaiting throws a <see cref="TerminalException"/> if it was already completed.</summary>
    /// <param name="reason">The failure message its awaiters get.</param>
    public DurableFuture RejectAsync(string reason) => _core.CompletePromise(Name, InvocationCore.Rejection(reason));
}

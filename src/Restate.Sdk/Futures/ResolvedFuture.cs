using Restate.Sdk.Engine;

namespace Restate.Sdk.Futures;

/// <summary>A future resolved from the start, belonging to no invocation (an <c>All</c> over no futures).</summary>
internal sealed class ResolvedFuture<T> : DurableFuture<T>
{
    public ResolvedFuture(T value)
        : base(null)
    {
        Value = value;
        IsResolved = true;
    }

    internal override bool TryComplete() => true;

    internal override UnresolvedFuture? ToUnresolved() => null;
}

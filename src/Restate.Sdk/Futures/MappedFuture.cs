using Restate.Sdk.Engine;

namespace Restate.Sdk.Futures;

/// <summary>Applies a pure function to another future's value once it is available.</summary>
internal sealed class MappedFuture<TIn, TOut>(DurableFuture<TIn> inner, Func<TIn, TOut> map) : DurableFuture<TOut>(inner.Core)
{
    internal override bool TryComplete()
    {
        if (IsResolved)
        {
            return true;
        }
        if (!inner.TryComplete())
        {
            return false;
        }
        if (inner.Failure is not null)
        {
            Failure = inner.Failure;
        }
        else
        {
            try
            {
                Value = map(inner.Value!);
            }
            catch (Exception e)
            {
                Failure = e;
            }
        }
        IsResolved = true;
        return true;
    }

    internal override UnresolvedFuture? ToUnresolved() => IsResolved ? null : inner.ToUnresolved();
}

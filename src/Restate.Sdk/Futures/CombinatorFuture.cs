using Restate.Sdk.Driver;
using Restate.Sdk.Engine;

namespace Restate.Sdk.Futures;

/// <summary>
/// A future over several others, resolved by the state machine's combinator rules. Ties are broken by the lowest index, so the
/// outcome is the same on every replay.
/// </summary>
internal sealed class CombinatorFuture<T>(
    InvocationCore? core,
    CombinatorKind kind,
    IReadOnlyList<DurableFuture> children,
    Func<List<DurableFuture>, T> select,
    bool propagateFailure = true,
    Func<List<DurableFuture>, Exception?>? failureOf = null) : DurableFuture<T>(core)
{
    private readonly List<DurableFuture> _children = [.. children];

    internal override bool TryComplete()
    {
        if (IsResolved)
        {
            return true;
        }
        foreach (var child in _children)
        {
            child.TryComplete();
        }
        if (!IsDone())
        {
            return false;
        }
        var failure = failureOf is not null ? failureOf(_children) : propagateFailure ? DefaultFailure() : null;
        if (failure is not null)
        {
            Failure = failure;
        }
        else
        {
            try
            {
                Value = select(_children);
            }
            catch (Exception e)
            {
                Failure = e;
            }
        }
        IsResolved = true;
        return true;
    }

    internal override UnresolvedFuture? ToUnresolved()
    {
        if (IsResolved)
        {
            return null;
        }
        var pending = new List<UnresolvedFuture>(_children.Count);
        foreach (var child in _children)
        {
            if (child.ToUnresolved() is { } unresolved)
            {
                pending.Add(unresolved);
            }
        }
        return new UnresolvedFuture.Combinator(kind, pending);
    }

    private bool IsDone() => kind switch
    {
        CombinatorKind.AllSucceededOrFirstFailed => _children.Any(Failed) || _children.All(c => c.IsResolved),
        CombinatorKind.FirstSucceededOrAllFailed => _children.Any(Succeeded) || _children.All(c => c.IsResolved),
        CombinatorKind.AllCompleted => _children.All(c => c.IsResolved),
        _ => _children.Any(c => c.IsResolved),
    };

    private Exception? DefaultFailure() => kind switch
    {
        CombinatorKind.AllSucceededOrFirstFailed => _children.FirstOrDefault(Failed)?.Failure,
        CombinatorKind.FirstSucceededOrAllFailed when !_children.Any(Succeeded) => _children[0].Failure,
        CombinatorKind.FirstCompleted or CombinatorKind.Unknown => _children.First(c => c.IsResolved).Failure,
        _ => null,
    };

    private static bool Failed(DurableFuture future) => future.IsResolved && future.Failure is not null;

    private static bool Succeeded(DurableFuture future) => future.IsResolved && future.Failure is null;
}

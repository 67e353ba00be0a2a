namespace Restate.Sdk.Engine;

/// <summary>How a combinator node decides that it is done.</summary>
internal enum CombinatorKind
{
    /// <summary>Done when any child completes (race).</summary>
    FirstCompleted,

    /// <summary>Done when every child completes, successfully or not (all settled).</summary>
    AllCompleted,

    /// <summary>Done at the first success, or when every child failed (any).</summary>
    FirstSucceededOrAllFailed,

    /// <summary>Done at the first failure, or when every child succeeded (all).</summary>
    AllSucceededOrFirstFailed,

    /// <summary>SDK-defined; the state machine wakes when any child completes.</summary>
    Unknown,
}

/// <summary>The still-unresolved part of what user code awaits: a leaf handle or a combinator over children.</summary>
internal abstract class UnresolvedFuture
{
    private UnresolvedFuture()
    {
    }

    public sealed class Single(NotificationHandle handle) : UnresolvedFuture
    {
        public NotificationHandle Handle { get; } = handle;

        public override string ToString() => Handle.ToString();
    }

    public sealed class Combinator(CombinatorKind kind, IReadOnlyList<UnresolvedFuture> children) : UnresolvedFuture
    {
        public CombinatorKind Kind { get; } = kind;

        public IReadOnlyList<UnresolvedFuture> Children { get; } = children;

        public override string ToString() => $"{Kind}({string.Join(", ", Children)})";
    }

    public void CollectLeaves(List<NotificationHandle> into)
    {
        switch (this)
        {
            case Single single:
                into.Add(single.Handle);
                break;
            case Combinator combinator:
                foreach (var child in combinator.Children)
                {
                    child.CollectLeaves(into);
                }
                break;
        }
    }
}

using Restate.Sdk.Driver;
using Restate.Sdk.Engine;

namespace Restate.Sdk.Futures;

/// <summary>A future backed by one state machine notification handle; <paramref name="map"/> turns the notification into the value.</summary>
internal sealed class LeafFuture<T>(InvocationCore core, NotificationHandle handle, Func<NotificationValue, T> map)
    : DurableFuture<T>(core)
{
    private readonly InvocationCore _core = core ?? throw new ArgumentNullException(nameof(core));

    public NotificationHandle Handle { get; } = handle;

    internal override bool TryComplete()
    {
        if (IsResolved)
        {
            return true;
        }
        var notification = _core.StateMachine.TakeNotification(Handle);
        if (notification is null)
        {
            return false;
        }
        try
        {
            Value = map(notification);
        }
        catch (Exception e)
        {
            Failure = e;
        }
        IsResolved = true;
        return true;
    }

    internal override UnresolvedFuture? ToUnresolved() => IsResolved ? null : new UnresolvedFuture.Single(Handle);
}

namespace Restate.Sdk.Engine;

internal enum NotificationKind : byte
{
    /// <summary>A completion id the SDK assigned to a command (from 1).</summary>
    Completion,

    /// <summary>A signal id: 1 is cancel, 17+ are awakeables.</summary>
    Signal,

    /// <summary>A named signal.</summary>
    NamedSignal,

    /// <summary>A result known locally without a round trip (eager state); never on the wire.</summary>
    Local,
}

/// <summary>How the runtime addresses a notification: by completion id, signal id or signal name.</summary>
internal readonly record struct NotificationId(NotificationKind Kind, uint Id, string? Name = null)
{
    public static NotificationId Completion(uint id) => new(NotificationKind.Completion, id);

    public static NotificationId Signal(uint id) => new(NotificationKind.Signal, id);

    public static NotificationId NamedSignal(string name) => new(NotificationKind.NamedSignal, 0, name);

    public override string ToString() => Kind switch
    {
        NotificationKind.Completion => $"completion {Id}",
        NotificationKind.Signal when Id == 1 => "cancel signal",
        NotificationKind.Signal => $"signal {Id}",
        NotificationKind.NamedSignal => $"signal '{Name}'",
        _ => $"local result {Id}",
    };
}

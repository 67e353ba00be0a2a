namespace Restate.Sdk.Engine;

/// <summary>The result carried by a notification (or an eager-state lookup).</summary>
internal abstract record NotificationValue
{
    private NotificationValue()
    {
    }

    public bool IsFailure => this is Failure;

    public sealed record Void : NotificationValue
    {
        public static readonly Void Instance = new();
    }

    public sealed record Success(ReadOnlyMemory<byte> Bytes) : NotificationValue;

    public sealed record Failure(TerminalFailure Error) : NotificationValue;

    public sealed record StateKeys(IReadOnlyList<string> Keys) : NotificationValue;

    public sealed record InvocationId(string Id) : NotificationValue;
}

/// <summary>A terminal failure as it travels on the wire: code, message and (protocol V6+) metadata.</summary>
internal sealed record TerminalFailure(ushort Code, string Message, IReadOnlyList<KeyValuePair<string, string>> Metadata)
{
    public TerminalFailure(ushort code, string message)
        : this(code, message, [])
    {
    }
}

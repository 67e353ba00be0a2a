namespace Restate.Sdk.Protocol;

/// <summary>The 16-bit message type carried in every frame header (protocol V5 to V7 numbering).</summary>
internal enum MessageType : ushort
{
    Start = 0x0000,
    Suspension = 0x0001,
    Error = 0x0002,
    End = 0x0003,
    CommandAck = 0x0004,
    ProposeRunCompletion = 0x0005,
    /// <summary>V7 only.</summary>
    AwaitingOn = 0x0006,
    /// <summary>V7 only: sent by the runtime in answer to a <see cref="ProposeRunCompletion"/> that asked for it.</summary>
    ProposeRunCompletionAck = 0x0007,

    InputCommand = 0x0400,
    OutputCommand = 0x0401,
    GetLazyStateCommand = 0x0402,
    SetStateCommand = 0x0403,
    ClearStateCommand = 0x0404,
    ClearAllStateCommand = 0x0405,
    GetLazyStateKeysCommand = 0x0406,
    GetEagerStateCommand = 0x0407,
    GetEagerStateKeysCommand = 0x0408,
    GetPromiseCommand = 0x0409,
    PeekPromiseCommand = 0x040A,
    CompletePromiseCommand = 0x040B,
    SleepCommand = 0x040C,
    CallCommand = 0x040D,
    OneWayCallCommand = 0x040E,
    SendSignalCommand = 0x0410,
    RunCommand = 0x0411,
    AttachInvocationCommand = 0x0412,
    GetInvocationOutputCommand = 0x0413,
    CompleteAwakeableCommand = 0x0414,

    GetLazyStateCompletionNotification = 0x8002,
    GetLazyStateKeysCompletionNotification = 0x8006,
    GetPromiseCompletionNotification = 0x8009,
    PeekPromiseCompletionNotification = 0x800A,
    CompletePromiseCompletionNotification = 0x800B,
    SleepCompletionNotification = 0x800C,
    CallCompletionNotification = 0x800D,
    CallInvocationIdCompletionNotification = 0x800E,
    RunCompletionNotification = 0x8011,
    AttachInvocationCompletionNotification = 0x8012,
    GetInvocationOutputCompletionNotification = 0x8013,
    SignalNotification = 0xFBFF,
}

internal static class MessageTypeExtensions
{
    public static bool IsCommand(this MessageType type) => (ushort)type is >= 0x0400 and < 0x8000;

    public static bool IsNotification(this MessageType type) => (ushort)type is >= 0x8000 and < 0xFC00;

    /// <summary>A readable name for logs and error messages, also for types this SDK does not know.</summary>
    public static string Describe(this MessageType type) =>
        Enum.IsDefined(type) ? type.ToString() : $"0x{(ushort)type:X4}";
}

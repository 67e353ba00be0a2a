using Restate.Sdk.Protocol;

namespace Restate.Sdk.Engine;

/// <summary>The command an error relates to, reported in the ErrorMessage so the server can show it.</summary>
internal readonly record struct RelatedCommand(uint Index, MessageType Type, string? Name);

/// <summary>
/// A failure of the invocation attempt inside the state machine. Once thrown, the state machine has already written the ErrorMessage (or
/// the SuspensionMessage for <see cref="ErrorCodes.Suspended"/>) and closed its output.
/// </summary>
internal sealed class StateMachineException : Exception
{
    public StateMachineException(ushort code, string message, RelatedCommand? relatedCommand = null, string? stacktrace = null,
        TimeSpan? nextRetryDelay = null, ErrorBehavior? behavior = null)
        : base(message)
    {
        Code = code;
        RelatedCommand = relatedCommand;
        Stacktrace = stacktrace;
        NextRetryDelay = nextRetryDelay;
        Behavior = behavior;
    }

    public ushort Code { get; }

    public RelatedCommand? RelatedCommand { get; }

    public string? Stacktrace { get; }

    public TimeSpan? NextRetryDelay { get; }

    /// <summary>
    /// What the runtime should do after this error (protocol V7 only; never sent before). Null: the state machine
    /// decides (<see cref="OnJournalMismatch"/> for code 570, RETRY otherwise).
    /// </summary>
    public ErrorBehavior? Behavior { get; }

    /// <summary>The attempt ended normally by suspending or was already closed: not an error to report.</summary>
    public bool EndsAttemptQuietly => Code is ErrorCodes.Suspended or ErrorCodes.Closed;

    public static StateMachineException Closed() => new(ErrorCodes.Closed, "The invocation attempt has already ended.");
}

/// <summary>Error codes the SDK uses in ErrorMessage frames and state machine exceptions.</summary>
internal static class ErrorCodes
{
    public const ushort BadRequest = 400;
    public const ushort NotFound = 404;
    public const ushort Conflict = 409;
    public const ushort UnsupportedMediaType = 415;
    public const ushort Internal = 500;
    public const ushort JournalMismatch = 570;
    public const ushort ProtocolViolation = 571;
    public const ushort UnsupportedFeature = 573;
    public const ushort Closed = 598;
    public const ushort Suspended = 599;
}

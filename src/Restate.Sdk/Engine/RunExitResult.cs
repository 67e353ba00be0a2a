namespace Restate.Sdk.Engine;

/// <summary>How a run closure ended, as reported to the state machine.</summary>
internal abstract record RunExitResult
{
    private RunExitResult()
    {
    }

    public sealed record Success(ReadOnlyMemory<byte> Value) : RunExitResult;

    public sealed record Terminal(TerminalFailure Failure) : RunExitResult;

    /// <summary>A failure to retry; <c>RetryAfter</c> is the closure's own hint (<see cref="RetryableException.RetryAfter"/>), null for the policy's delay.</summary>
    public sealed record Retryable(ushort Code, string Message, string? Stacktrace, TimeSpan AttemptDuration, TimeSpan? RetryAfter = null) : RunExitResult;
}

namespace Restate.Sdk.Engine;

/// <summary>How a run closure ended, as reported to the VM.</summary>
internal abstract record RunExitResult
{
    private RunExitResult()
    {
    }

    public sealed record Success(ReadOnlyMemory<byte> Value) : RunExitResult;

    public sealed record Terminal(TerminalFailure Failure) : RunExitResult;

    public sealed record Retryable(ushort Code, string Message, string? Stacktrace, TimeSpan AttemptDuration) : RunExitResult;
}

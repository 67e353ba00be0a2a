namespace Restate.Sdk.Engine;

/// <summary>What the state machine answers when user code awaits: how the SDK should make progress.</summary>
internal abstract record AwaitResponse
{
    private AwaitResponse()
    {
    }

    /// <summary>Some awaited leaf can be taken now; try to complete the awaited futures and ask again if needed.</summary>
    public sealed record AnyCompleted : AwaitResponse
    {
        public static readonly AnyCompleted Instance = new();
    }

    /// <summary>Nothing can complete until more input arrives or a run proposes its result.</summary>
    public sealed record WaitingExternalProgress(bool WaitingInput, bool WaitingRunProposal) : AwaitResponse;

    /// <summary>Start the closure of this run now (runs are lazy: they start when first awaited).</summary>
    public sealed record ExecuteRun(NotificationHandle Handle) : AwaitResponse;

    /// <summary>The invocation was cancelled; child calls were already told. Fail the awaiting code with 409.</summary>
    public sealed record CancelSignalReceived : AwaitResponse
    {
        public static readonly CancelSignalReceived Instance = new();
    }
}

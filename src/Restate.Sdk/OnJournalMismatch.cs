namespace Restate.Sdk;

/// <summary>
/// What restate-server does with an invocation whose handler no longer matches its journal (the code changed in a
/// non-deterministic way, error code 570): set per endpoint (<see cref="Endpoint.RestateEndpointBuilder.WithJournalMismatchBehavior"/>),
/// per service or per handler (<see cref="Definitions.HandlerOptions.OnJournalMismatch"/>,
/// <see cref="RestateOptionsAttribute.OnJournalMismatch"/>).
/// </summary>
/// <remarks>
/// <see cref="Pause"/> and <see cref="Fail"/> are sent with service protocol V7 only (restate-server 1.7 with
/// <c>RESTATE_EXPERIMENTAL_ENABLE_PROTOCOL_V7=true</c>). Under V5 and V6 the wire cannot say it: the mismatch is
/// retried as with <see cref="Retry"/>, and the SDK logs a warning naming the handler.
/// </remarks>
public enum OnJournalMismatch
{
    /// <summary>Retry the invocation under the handler's retry policy (the default, and the behaviour before V7).</summary>
    Retry,

    /// <summary>Pause the invocation until an operator resumes it, e.g. after deploying the code that matches the journal.</summary>
    Pause,

    /// <summary>Fail the invocation terminally.</summary>
    Fail,
}

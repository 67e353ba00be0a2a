namespace Restate.Sdk.Endpoint;

/// <summary>How the runtime talks to this deployment, declared in the discovery manifest.</summary>
public enum ProtocolMode
{
    /// <summary>HTTP/2 streams in both directions: results are pushed while the handler runs.</summary>
    BidiStream,

    /// <summary>One request, one response (HTTP/1.1, Lambda): every await that cannot complete suspends.</summary>
    RequestResponse,
}

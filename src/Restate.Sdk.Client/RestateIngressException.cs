namespace Restate.Sdk.Client;

/// <summary>
/// The Restate ingress itself refused or failed a request (an unknown service or handler, bad input, a private
/// handler, an overloaded or unavailable server, …), as opposed to a handler's terminal failure, which arrives as a
/// plain <see cref="TerminalException"/>. restate-server says which of the two an error answer is (the
/// <c>x-restate-error-source</c> header and the body's <c>source</c> field); an answer that says neither (an older
/// server, a proxy in between) produces a plain <see cref="TerminalException"/>.
/// </summary>
/// <remarks>
/// It derives from <see cref="TerminalException"/>, so code that catches that type catches this one too.
/// <see cref="TerminalException.Code"/> is the HTTP status the ingress answered, chosen by Restate rather than by a
/// handler, so <c>503</c> here means the server could not take the request now, while a handler's own
/// <c>TerminalException(…, 503)</c> stays a plain <see cref="TerminalException"/>.
/// </remarks>
public sealed class RestateIngressException : TerminalException
{
    /// <summary>Creates the failure of an ingress answer.</summary>
    /// <param name="message">The ingress's message.</param>
    /// <param name="code">The HTTP status the ingress answered.</param>
    /// <param name="metadata">Metadata carried with the answer, if any.</param>
    public RestateIngressException(string message, ushort code, IReadOnlyDictionary<string, string>? metadata = null)
        : base(message, code, metadata)
    {
    }

    /// <summary>
    /// True when sending the request again later may succeed: the ingress answered 408 (request timeout),
    /// 429 (overloaded), 502, 503 (it cannot take or route the request now) or 504. Every other ingress refusal
    /// (404 unknown service, 400 bad input or private handler, 413 body too large, …) answers the same until the
    /// request or the registered services change.
    /// </summary>
    /// <remarks>
    /// A request the ingress failed to route may still have reached Restate: retry a call or a send only with an
    /// idempotency key (<see cref="CallOptions.IdempotencyKey"/>, <see cref="SendOptions.IdempotencyKey"/>), or a
    /// workflow's submit, unless running it twice is harmless.
    /// </remarks>
    public bool IsTransient => Code is 408 or 429 or 502 or 503 or 504;
}

using Restate.Sdk.Driver;

namespace Restate.Sdk;

/// <summary>
/// What the runtime says about the invocation a handler serves: its id and target, the request's headers and raw body,
/// its idempotency key, and how often it was retried. Fixed for the invocation (the same on every replay), except
/// <see cref="AttemptHeaders"/> and <see cref="RetryCountSinceLastStoredEntry"/>, which describe this attempt.
/// </summary>
public sealed class InvocationRequest
{
    private readonly InvocationCore _core;
    private readonly bool _keyed;
    private IReadOnlyDictionary<string, string>? _headers;

    internal InvocationRequest(InvocationCore core, bool keyed)
    {
        _core = core;
        _keyed = keyed;
    }

    /// <summary>The invocation id, <c>inv_…</c>.</summary>
    public string InvocationId => _core.Input.InvocationId;

    /// <summary>The handler invoked: service, handler, and the key of a virtual object or workflow (null for a service).</summary>
    public Target Target => new(_core.Handler.ServiceName, _core.Handler.Name, _keyed ? _core.Input.Key : null);

    /// <summary>
    /// The headers the invocation was started with (the ingress request's, minus connection and idempotency headers,
    /// or those a calling handler set), case-insensitive.
    /// </summary>
    public IReadOnlyDictionary<string, string> Headers => _headers ??= _core.HeadersDictionary();

    /// <summary>
    /// The headers of the HTTP request (or Lambda event) that carries this attempt, case-insensitive: what restate-server
    /// sends each attempt, such as <c>traceparent</c> or a request-identity token, not the invocation's own headers
    /// (<see cref="Headers"/>). They may differ from one attempt to the next.
    /// </summary>
    public IReadOnlyDictionary<string, string> AttemptHeaders => _core.AttemptHeaders;

    /// <summary>The request body as it arrived, before the handler's serde read it.</summary>
    public ReadOnlyMemory<byte> Body => _core.Input.Body;

    /// <summary>
    /// The idempotency key the invocation was started with, when the runtime tells it: protocol V7 sends it; under V5
    /// and V6 (restate-server 1.7's default) it is null even when the request had one.
    /// </summary>
    public string? IdempotencyKey => _core.Input.IdempotencyKey;

    /// <summary>
    /// The scope the invocation was started in, when the runtime tells it: protocol V7 sends it (when the invocation
    /// has one); under V5 and V6 it is always null.
    /// </summary>
    public string? Scope => _core.Input.Scope;

    /// <summary>
    /// The limit key the invocation was started with, when the runtime tells it: protocol V7 sends it (when the
    /// invocation has one); under V5 and V6 it is always null.
    /// </summary>
    public string? LimitKey => _core.Input.LimitKey;

    /// <summary>
    /// How many attempts failed since the journal last stored an entry, as the runtime counts them (best effort): 0 on
    /// the first attempt and on the first attempt after progress. Retry policies of runs use the same count.
    /// </summary>
    public uint RetryCountSinceLastStoredEntry => _core.Input.RetryCountSinceLastStoredEntry;
}

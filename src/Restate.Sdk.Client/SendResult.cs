namespace Restate.Sdk.Client;

/// <summary>What the ingress answers to a send: the invocation it started (or had started for the same idempotency key).</summary>
/// <param name="InvocationId">The invocation id, <c>inv_…</c>: attach to it or read its output with <see cref="RestateClient"/>.</param>
/// <param name="PreviouslyAccepted">True when an earlier send with the same idempotency key (or the same workflow key) started it.</param>
/// <param name="ExecutionTime">When a delayed send will run; null when it runs at once.</param>
public sealed record SendResult(string InvocationId, bool PreviouslyAccepted, DateTimeOffset? ExecutionTime);

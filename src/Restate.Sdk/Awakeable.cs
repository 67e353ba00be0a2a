namespace Restate.Sdk;

/// <summary>
/// A durable promise that something outside this handler completes: another handler with
/// <c>ResolveAwakeable</c>/<c>RejectAwakeable</c>, or any client through the ingress
/// (<c>POST /restate/awakeables/{id}/resolve</c>).
/// </summary>
/// <typeparam name="T">The value type.</typeparam>
/// <param name="Id">The id to hand to whoever completes it.</param>
/// <param name="Value">Completes with the value, or throws <see cref="TerminalException"/> when rejected.</param>
public sealed record Awakeable<T>(string Id, DurableFuture<T> Value);

namespace Restate.Sdk.Conformance.Tests.Infrastructure;

/// <summary>What <c>…/send</c> answered: the invocation id and whether it was new (<c>Accepted</c>) or a repeat.</summary>
public sealed record SendResponse(string InvocationId, string Status);

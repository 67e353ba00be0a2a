namespace Restate.Sdk;

/// <summary>
/// Marks a <see cref="HandlerAttribute">handler</see> of a virtual object or workflow as shared: it runs concurrently
/// with other handlers of the same key and can only read state (it takes a <see cref="SharedObjectContext"/> or
/// <see cref="SharedWorkflowContext"/>). Plain services have no shared handlers.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class SharedAttribute : Attribute;

namespace Restate.Sdk;

/// <summary>
/// Makes a method of a <see cref="ServiceAttribute">service</see>, <see cref="VirtualObjectAttribute">virtual
/// object</see> or <see cref="WorkflowAttribute">workflow</see> class a Restate handler.
/// </summary>
/// <remarks>
/// The method (instance or static) takes the context (<see cref="Context"/>, <see cref="ObjectContext"/>,
/// <see cref="SharedObjectContext"/>, <see cref="WorkflowContext"/> or <see cref="SharedWorkflowContext"/>, per the
/// class kind and <see cref="SharedAttribute"/>) and at most one input, and returns <see cref="Task"/>,
/// <see cref="Task{TResult}"/>, <see cref="ValueTask"/> or <see cref="ValueTask{TResult}"/>. The default Restate
/// name is the method name without its <c>Async</c> suffix (<c>ReserveAsync</c> → <c>Reserve</c>).
/// </remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class HandlerAttribute : RestateOptionsAttribute
{
    /// <summary>Declares a handler.</summary>
    /// <param name="name">The Restate name (the path segment after the service, or the key); null for the method name without <c>Async</c>.</param>
    public HandlerAttribute(string? name = null)
        : base(name)
    {
    }
}

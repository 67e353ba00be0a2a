namespace Restate.Sdk;

/// <summary>
/// Declares a Restate workflow: exactly one handler without <see cref="SharedAttribute"/> is the run handler
/// (taking a <see cref="WorkflowContext"/>, executed once per workflow id); every other handler is
/// <see cref="SharedAttribute">shared</see> and takes a <see cref="SharedWorkflowContext"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class WorkflowAttribute : RestateServiceAttribute
{
    /// <summary>Declares a workflow.</summary>
    /// <param name="name">The Restate name; null for the class name.</param>
    public WorkflowAttribute(string? name = null)
        : base(name)
    {
    }
}

namespace Restate.Sdk;

/// <summary>
/// A typed client of one workflow run (one workflow id), created by <see cref="Context.WorkflowClient{TClient}"/>. The
/// Restate source generator implements it for every <see cref="WorkflowAttribute">[Workflow]</see> class.
/// </summary>
/// <typeparam name="TSelf">The client type itself.</typeparam>
public interface IWorkflowClient<TSelf>
    where TSelf : IWorkflowClient<TSelf>
{
    /// <summary>Creates a client of the workflow <paramref name="key"/> whose calls are issued through <paramref name="context"/>.</summary>
    /// <param name="context">The calling handler's context.</param>
    /// <param name="key">The workflow id.</param>
    static abstract TSelf Create(Context context, string key);
}

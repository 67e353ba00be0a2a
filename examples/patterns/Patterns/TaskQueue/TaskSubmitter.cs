using Restate.Sdk;
using Restate.Sdk.Client;

namespace Patterns.TaskQueue;

/// <summary>
/// Puts tasks on Restate's queue from outside Restate (a web app, a script) and fetches their results later, through
/// the ingress client. A task's id is its idempotency key: submitting it again, from any process, finds the first
/// invocation instead of queuing a second one, and its result can be fetched with nothing but the id.
/// </summary>
public sealed class TaskSubmitter(RestateClient restate)
{
    private static readonly Target RunTask = Target.ForService(AsyncTaskWorkerClient.ServiceName, "runTask");
    private static readonly Serde<TaskResult> ResultSerde = Serde.Json(PatternsJson.Default.TaskResult);

    /// <summary>Queues the task, to run now or after <paramref name="delay"/> (a durable timer in restate-server); does not wait for it.</summary>
    /// <returns>The handle: the invocation id, and when a delayed task will run.</returns>
    public Task<SendResult> SubmitAsync(TaskRequest task, TimeSpan? delay = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentException.ThrowIfNullOrWhiteSpace(task.TaskId, nameof(task));
        return restate.ServiceClient<AsyncTaskWorkerIngressClient>()
            .Send(new SendOptions { IdempotencyKey = task.TaskId, Delay = delay })
            .RunTaskAsync(task, cancellationToken);
    }

    /// <summary>Waits for the task <paramref name="taskId"/> to have run and returns its result.</summary>
    /// <exception cref="TerminalException">The task failed, or none was submitted with that id (404).</exception>
    public Task<TaskResult> AttachAsync(string taskId, CancellationToken cancellationToken = default) =>
        restate.AttachAsync(RunTask, taskId, ResultSerde, cancellationToken);

    /// <summary>The result of the task <paramref name="taskId"/> if it has run, without waiting.</summary>
    /// <exception cref="TerminalException">The task failed, or none was submitted with that id (404).</exception>
    public Task<InvocationOutput<TaskResult>> GetOutputAsync(string taskId, CancellationToken cancellationToken = default) =>
        restate.GetOutputAsync(RunTask, taskId, ResultSerde, cancellationToken);
}

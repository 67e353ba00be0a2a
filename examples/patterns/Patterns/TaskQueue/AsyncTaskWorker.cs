using Restate.Sdk;

namespace Patterns.TaskQueue;

/// <summary>
/// The worker behind the queue: Restate invokes <c>runTask</c> once per submitted task, when its (optional) delay is
/// over. Submitters do not call it and wait; they send to it (see <see cref="TaskSubmitter"/>).
/// </summary>
[Service("AsyncTaskWorker")]
public sealed partial class AsyncTaskWorker(ITaskExecutor executor)
{
    /// <summary>Runs the task.</summary>
    /// <returns>Its output, kept by Restate for whoever attaches to the invocation.</returns>
    /// <exception cref="TerminalException">400: the task has no id or no payload.</exception>
    [Handler("runTask")]
    public async Task<TaskResult> RunTaskAsync(Context ctx, TaskRequest task)
    {
        if (task is null || string.IsNullOrWhiteSpace(task.TaskId) || string.IsNullOrEmpty(task.Payload))
        {
            throw new TerminalException("A task needs a taskId and a payload.", 400);
        }
        // Journaled: once the work is done, a retry of this invocation reads the output instead of working again.
        var output = await ctx.RunAsync("execute", cancellation => executor.ExecuteAsync(task, cancellation));
        return new TaskResult(task.TaskId, output);
    }
}

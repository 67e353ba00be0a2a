namespace Patterns.TaskQueue;

/// <summary>Does the actual work of a task.</summary>
public interface ITaskExecutor
{
    /// <summary>Works on the payload and returns the output.</summary>
    Task<string> ExecuteAsync(TaskRequest task, CancellationToken cancellationToken);
}

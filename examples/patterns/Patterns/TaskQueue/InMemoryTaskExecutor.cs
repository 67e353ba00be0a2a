using System.Collections.Concurrent;

namespace Patterns.TaskQueue;

/// <summary>
/// Work done in this process, standing in for a heavy job: the output is the payload in upper case, and every
/// execution is recorded with its time, to see how often and when a task ran.
/// </summary>
public sealed partial class InMemoryTaskExecutor(ILogger<InMemoryTaskExecutor> logger) : ITaskExecutor
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<DateTimeOffset>> _executions = new();

    /// <summary>When the task was executed, once per execution.</summary>
    public IReadOnlyList<DateTimeOffset> ExecutionsOf(string taskId) => _executions.TryGetValue(taskId, out var times) ? [.. times] : [];

    /// <inheritdoc />
    public Task<string> ExecuteAsync(TaskRequest task, CancellationToken cancellationToken)
    {
        _executions.GetOrAdd(task.TaskId, _ => new ConcurrentQueue<DateTimeOffset>()).Enqueue(TimeProvider.System.GetUtcNow());
        LogExecuted(task.TaskId);
        return Task.FromResult(task.Payload.ToUpperInvariant());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} executed")]
    private partial void LogExecuted(string taskId);
}

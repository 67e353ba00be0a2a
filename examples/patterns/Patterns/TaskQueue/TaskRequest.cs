namespace Patterns.TaskQueue;

/// <summary>A task for the queue: its id (also the idempotency key it is submitted with) and what to work on.</summary>
public sealed record TaskRequest(string TaskId, string Payload);

/// <summary>What a task produced.</summary>
public sealed record TaskResult(string TaskId, string Output);

using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Patterns.StatefulActors;

/// <summary>
/// Machines in this process, standing in for real ones: each operation takes <see cref="PatternsOptions.MachineOperationTime"/>
/// and crashes its first <see cref="PatternsOptions.MachineCrashes"/> attempts (an exception that is not terminal, so
/// Restate retries it). Each machine's history records when operations began, crashed and ended, so overlapping
/// transitions would show.
/// </summary>
public sealed partial class InMemoryMachineOperations(IOptions<PatternsOptions> options, ILogger<InMemoryMachineOperations> logger) : IMachineOperations
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _histories = new();
    private readonly ConcurrentDictionary<(string Machine, string Operation), int> _crashes = new();

    /// <summary>What happened to the machine, in order (<c>up begins</c>, <c>up crashed</c>, <c>up ends</c>, <c>down begins</c>, …).</summary>
    public IReadOnlyList<string> HistoryOf(string machineId) => _histories.TryGetValue(machineId, out var history) ? [.. history] : [];

    /// <inheritdoc />
    public Task BringUpAsync(string machineId, CancellationToken cancellationToken) => OperateAsync(machineId, "up", cancellationToken);

    /// <inheritdoc />
    public Task TearDownAsync(string machineId, CancellationToken cancellationToken) => OperateAsync(machineId, "down", cancellationToken);

    private async Task OperateAsync(string machineId, string operation, CancellationToken cancellationToken)
    {
        Record(machineId, $"{operation} begins");
        var attempt = (machineId, operation);
        if (_crashes.AddOrUpdate(attempt, 1, (_, crashes) => crashes + 1) <= options.Value.MachineCrashes)
        {
            Record(machineId, $"{operation} crashed");
            throw new InvalidOperationException($"Machine {machineId}: a failure happened while going {operation}.");
        }
        _crashes.TryRemove(attempt, out _);
        await Task.Delay(options.Value.MachineOperationTime, cancellationToken);
        Record(machineId, $"{operation} ends");
    }

    private void Record(string machineId, string what)
    {
        _histories.GetOrAdd(machineId, _ => new ConcurrentQueue<string>()).Enqueue(what);
        LogOperation(machineId, what);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Machine {MachineId}: {What}")]
    private partial void LogOperation(string machineId, string what);
}

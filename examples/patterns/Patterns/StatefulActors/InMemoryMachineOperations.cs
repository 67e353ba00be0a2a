using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Patterns.StatefulActors;

/// <summary>
/// Machines in this process, standing in for real ones: each operation takes <see cref="PatternsOptions.MachineOperationTime"/>,
/// and each machine's history records when operations began and ended, so overlapping transitions would show.
/// </summary>
public sealed partial class InMemoryMachineOperations(IOptions<PatternsOptions> options, ILogger<InMemoryMachineOperations> logger) : IMachineOperations
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _histories = new();

    /// <summary>What happened to the machine, in order (<c>up begins</c>, <c>up ends</c>, <c>down begins</c>, …).</summary>
    public IReadOnlyList<string> HistoryOf(string machineId) => _histories.TryGetValue(machineId, out var history) ? [.. history] : [];

    /// <inheritdoc />
    public Task BringUpAsync(string machineId, CancellationToken cancellationToken) => OperateAsync(machineId, "up", cancellationToken);

    /// <inheritdoc />
    public Task TearDownAsync(string machineId, CancellationToken cancellationToken) => OperateAsync(machineId, "down", cancellationToken);

    private async Task OperateAsync(string machineId, string operation, CancellationToken cancellationToken)
    {
        Record(machineId, $"{operation} begins");
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

using System.Collections.Concurrent;
using Patterns.StatefulActors;

namespace Patterns.Tests;

/// <summary>
/// The machines, with a gate a test can close before a machine's first operation: the operation waits at it until the
/// test opens it, so the test knows for sure that the transitions it sends meanwhile queue behind a running one.
/// </summary>
public sealed class GatedMachineOperations(IMachineOperations machines) : IMachineOperations
{
    private readonly ConcurrentDictionary<string, Gate> _gates = new();

    /// <summary>Closes a gate before the machine's operations; only the first one waits at it, until it is opened.</summary>
    public Gate Close(string machineId) => _gates.GetOrAdd(machineId, _ => new Gate());

    /// <inheritdoc />
    public async Task BringUpAsync(string machineId, CancellationToken cancellationToken)
    {
        await PassAsync(machineId, cancellationToken);
        await machines.BringUpAsync(machineId, cancellationToken);
    }

    /// <inheritdoc />
    public async Task TearDownAsync(string machineId, CancellationToken cancellationToken)
    {
        await PassAsync(machineId, cancellationToken);
        await machines.TearDownAsync(machineId, cancellationToken);
    }

    private Task PassAsync(string machineId, CancellationToken cancellationToken) =>
        _gates.TryGetValue(machineId, out var gate) ? gate.PassAsync(cancellationToken) : Task.CompletedTask;

    /// <summary>A gate in front of one machine.</summary>
    public sealed class Gate
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes when an operation is waiting at the gate.</summary>
        public Task Reached => _reached.Task;

        /// <summary>Lets the waiting operation and every later one through.</summary>
        public void Open() => _opened.TrySetResult();

        internal Task PassAsync(CancellationToken cancellationToken)
        {
            _reached.TrySetResult();
            return _opened.Task.WaitAsync(cancellationToken);
        }
    }
}

namespace Patterns.StatefulActors;

/// <summary>The slow work on a physical machine that a transition of its operator starts.</summary>
public interface IMachineOperations
{
    /// <summary>Brings the machine up; returns once it runs.</summary>
    Task BringUpAsync(string machineId, CancellationToken cancellationToken);

    /// <summary>Tears the machine down; returns once it is down.</summary>
    Task TearDownAsync(string machineId, CancellationToken cancellationToken);
}

namespace Patterns.StatefulActors;

/// <summary>Where a machine is: down (also what a machine never set up reads as) or up and running.</summary>
public enum MachineStatus
{
    /// <summary>Not running: it can be set up.</summary>
    Down,

    /// <summary>Running: it can be torn down.</summary>
    Up,
}

using Restate.Sdk;

namespace Patterns.StatefulActors;

/// <summary>
/// The operator of one machine, keyed by machine id: a state machine whose transitions (<c>setUp</c>, <c>tearDown</c>)
/// each run the slow work on the machine and then record its new status.
/// </summary>
// A virtual object is a stateful actor: one exclusive handler runs per key at a time, and the others queue behind it in
// the order they arrived, so two transitions of one machine never interleave; different machines run in parallel.
[VirtualObject("MachineOperator")]
public sealed partial class MachineOperator(IMachineOperations machines)
{
    /// <summary>The machine's status; absent means <see cref="MachineStatus.Down"/>.</summary>
    public static readonly StateKey<MachineStatus> Status = new("status");

    /// <summary>Brings a machine that is down up.</summary>
    /// <returns>The new status, <see cref="MachineStatus.Up"/>.</returns>
    /// <exception cref="TerminalException">409: the machine is up already.</exception>
    [Handler("setUp")]
    public async Task<MachineStatus> SetUpAsync(ObjectContext ctx)
    {
        await ExpectAsync(ctx, MachineStatus.Down, "set up");
        // Journaled: a retry after a crash does not start the machine a second time once the work has finished.
        await ctx.RunAsync("bring up", cancellation => machines.BringUpAsync(ctx.Key, cancellation));
        ctx.Set(Status, MachineStatus.Up);
        return MachineStatus.Up;
    }

    /// <summary>Tears a running machine down.</summary>
    /// <returns>The new status, <see cref="MachineStatus.Down"/>.</returns>
    /// <exception cref="TerminalException">409: the machine is not running.</exception>
    [Handler("tearDown")]
    public async Task<MachineStatus> TearDownAsync(ObjectContext ctx)
    {
        await ExpectAsync(ctx, MachineStatus.Up, "tear down");
        await ctx.RunAsync("tear down", cancellation => machines.TearDownAsync(ctx.Key, cancellation));
        ctx.Set(Status, MachineStatus.Down);
        return MachineStatus.Down;
    }

    /// <summary>The machine's status, read without waiting for a transition in progress.</summary>
    [Shared]
    [Handler("status")]
    public static async Task<MachineStatus> GetStatusAsync(SharedObjectContext ctx) => await ctx.GetAsync(Status);

    // A transition that does not apply is the caller's mistake, not a failure to retry: it ends the invocation with a
    // terminal error that names the machine and its status.
    private static async Task ExpectAsync(ObjectContext ctx, MachineStatus expected, string transition)
    {
        var status = await ctx.GetAsync(Status);
        if (status != expected)
        {
            throw new TerminalException($"Cannot {transition} machine '{ctx.Key}': it is {status}, not {expected}.", 409);
        }
    }
}

using Restate.Sdk;

namespace Patterns.StatefulActors;

/// <summary>
/// The operator of one machine, keyed by machine id: a state machine whose transitions (<c>setUp</c>, <c>tearDown</c>)
/// each run the slow work on the machine and then record its new status. A transition that does not apply (setting up
/// a running machine, tearing down one that is not running) is a duplicate request: it does nothing and says so.
/// </summary>
// A virtual object is a stateful actor: one exclusive handler runs per key at a time, and the others queue behind it in
// the order they arrived, so two transitions of one machine never interleave; different machines run in parallel.
[VirtualObject("MachineOperator")]
public sealed partial class MachineOperator(IMachineOperations machines)
{
    /// <summary>The machine's status; absent means <see cref="MachineStatus.Down"/>.</summary>
    public static readonly StateKey<MachineStatus> Status = new("status");

    /// <summary>Brings the machine up, unless it is running already.</summary>
    /// <returns><c>"&lt;id&gt; is now running"</c>, or <c>"&lt;id&gt; is already running"</c> for a duplicate request.</returns>
    [Handler("setUp")]
    public async Task<string> SetUpAsync(ObjectContext ctx)
    {
        if (await ctx.GetAsync(Status) == MachineStatus.Up)
        {
            return $"{ctx.Key} is already running";
        }
        // Journaled: the machine's operation often crashes, and Restate retries it until it succeeds; once it has, a
        // retry of this invocation reads the result from the journal instead of starting the machine a second time.
        await ctx.RunAsync("bring up", cancellation => machines.BringUpAsync(ctx.Key, cancellation));
        ctx.Set(Status, MachineStatus.Up);
        return $"{ctx.Key} is now running";
    }

    /// <summary>Tears the machine down, if it is running.</summary>
    /// <returns><c>"&lt;id&gt; is now down"</c>, or <c>"&lt;id&gt; is not running"</c> when there was nothing to tear down.</returns>
    [Handler("tearDown")]
    public async Task<string> TearDownAsync(ObjectContext ctx)
    {
        if (await ctx.GetAsync(Status) != MachineStatus.Up)
        {
            return $"{ctx.Key} is not running";
        }
        await ctx.RunAsync("tear down", cancellation => machines.TearDownAsync(ctx.Key, cancellation));
        ctx.Set(Status, MachineStatus.Down);
        return $"{ctx.Key} is now down";
    }

    /// <summary>The machine's status, read without waiting for a transition in progress.</summary>
    [Shared]
    [Handler("status")]
    public static async Task<MachineStatus> GetStatusAsync(SharedObjectContext ctx) => await ctx.GetAsync(Status);
}

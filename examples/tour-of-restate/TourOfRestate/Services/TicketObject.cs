using Restate.Sdk;

namespace TourOfRestate.Services;

/// <summary>One seat, keyed by ticket id: a small state machine from available to reserved to sold.</summary>
// A virtual object runs one exclusive handler per key at a time, so two carts reserving the same seat cannot both win.
[VirtualObject("TicketObject")]
public sealed partial class TicketObject
{
    /// <summary>The seat's status; absent means available.</summary>
    public static readonly StateKey<TicketStatus> Status = new("status");

    /// <summary>Reserves the seat if it is available.</summary>
    /// <returns>Whether the caller now holds it.</returns>
    [Handler("reserve")]
    public static async Task<bool> ReserveAsync(ObjectContext ctx)
    {
        if (await ctx.GetAsync(Status) != TicketStatus.Available)
        {
            return false;
        }
        ctx.Set(Status, TicketStatus.Reserved);
        return true;
    }

    /// <summary>Releases a reservation; a sold seat stays sold.</summary>
    [Handler("unreserve")]
    public static async Task UnreserveAsync(ObjectContext ctx)
    {
        if (await ctx.GetAsync(Status) != TicketStatus.Sold)
        {
            ctx.Clear(Status.Name);
        }
    }

    /// <summary>Marks a reserved seat as sold; an available one is left alone (its reservation expired).</summary>
    [Handler("markAsSold")]
    public static async Task MarkAsSoldAsync(ObjectContext ctx)
    {
        if (await ctx.GetAsync(Status) == TicketStatus.Reserved)
        {
            ctx.Set(Status, TicketStatus.Sold);
        }
    }
}

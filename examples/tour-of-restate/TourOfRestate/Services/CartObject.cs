using Microsoft.Extensions.Options;
using Restate.Sdk;
using TourOfRestate.Demo;

namespace TourOfRestate.Services;

/// <summary>A user's shopping cart, keyed by user id: reserves seats, releases them when they expire, checks out.</summary>
[VirtualObject("CartObject")]
public sealed partial class CartObject(IOptions<TourOptions> options, FailureInjector failures)
{
    /// <summary>The ticket ids in the cart, in the order they were added.</summary>
    public static readonly StateKey<string[]> Tickets = new("tickets");

    /// <summary>Reserves the seat and puts it in the cart until checkout or until the reservation expires.</summary>
    /// <returns>Whether the seat was free and is now in this cart.</returns>
    [Handler("addTicket")]
    public async Task<bool> AddTicketAsync(ObjectContext ctx, string ticketId)
    {
        var reserved = await ctx.ObjectClient<TicketObjectClient>(ticketId).ReserveAsync();
        // Off unless Tour:FailuresAfterReserve is set: each retry replays the reserve call's journaled answer instead of
        // reserving again (which would answer false, the seat being taken).
        failures.AfterReserve(ctx.InvocationId);
        if (!reserved)
        {
            return false;
        }

        var tickets = await ctx.GetAsync(Tickets) ?? [];
        ctx.Set(Tickets, [.. tickets, ticketId]);
        // A durable timer: restate-server delivers it after the delay even if this service restarts meanwhile.
        ctx.ObjectClient<CartObjectClient>(ctx.Key)
            .Send(new SendOptions { Delay = options.Value.ReservationExpiry })
            .ExpireTicket(ticketId);
        return true;
    }

    /// <summary>Pays for the cart; on success the seats are sold and the cart is emptied.</summary>
    /// <returns>Whether the payment went through; false for an empty cart. A declined cart keeps its reservations.</returns>
    [Handler("checkout")]
    public async Task<bool> CheckoutAsync(ObjectContext ctx)
    {
        var tickets = await ctx.GetAsync(Tickets) ?? [];
        if (tickets.Length == 0)
        {
            return false;
        }

        var paid = await ctx.ServiceClient<CheckoutServiceClient>().HandleAsync(new CheckoutRequest(ctx.Key, tickets));
        if (!paid)
        {
            return false;
        }

        foreach (var ticketId in tickets)
        {
            await ctx.ObjectClient<TicketObjectClient>(ticketId).MarkAsSoldAsync();
        }
        ctx.Clear(Tickets.Name);
        return true;
    }

    /// <summary>Releases a seat whose reservation ran out, if it is still in the cart (not checked out meanwhile).</summary>
    [Handler("expireTicket")]
    public async Task ExpireTicketAsync(ObjectContext ctx, string ticketId)
    {
        var tickets = await ctx.GetAsync(Tickets) ?? [];
        if (!tickets.Contains(ticketId))
        {
            return;
        }

        ctx.Set(Tickets, [.. tickets.Where(ticket => ticket != ticketId)]);
        ctx.ObjectClient<TicketObjectClient>(ticketId).Send().Unreserve();
    }
}

using System.Diagnostics;
using Restate.Sdk;
using TourOfRestate.Services;

namespace TourOfRestate.Tests;

public sealed class CartObjectTests(TourFixture restate) : IClassFixture<TourFixture>
{
    [Fact]
    public async Task Checkout_AfterAddTicket_SellsTheTicketsAndEmptiesTheCart()
    {
        var (user, seat) = (NewId("user"), NewId("seat"));
        var cart = restate.Client.ObjectClient<CartObjectIngressClient>(user);

        Assert.True(await cart.AddTicketAsync(seat));
        Assert.Equal([seat], await restate.GetStateAsync("CartObject", user, CartObject.Tickets) ?? []);
        Assert.True(await cart.CheckoutAsync());

        Assert.Equal(TicketStatus.Sold, await restate.GetStateAsync("TicketObject", seat, TicketObject.Status));
        Assert.Null(await restate.GetStateAsync("CartObject", user, CartObject.Tickets));
        var charge = Assert.Single(restate.Payments.Charges, charge => charge.UserId == user);
        Assert.Equal(40m, charge.Amount);
    }

    [Fact]
    public async Task AddTicket_SeatInAnotherUsersCart_ReturnsFalse()
    {
        var seat = NewId("seat");
        var mary = restate.Client.ObjectClient<CartObjectIngressClient>(NewId("mary"));
        var bob = NewId("bob");

        Assert.True(await mary.AddTicketAsync(seat));
        var added = await restate.Client.ObjectClient<CartObjectIngressClient>(bob).AddTicketAsync(seat);

        Assert.False(added);
        Assert.Null(await restate.GetStateAsync("CartObject", bob, CartObject.Tickets));
        Assert.Equal(TicketStatus.Reserved, await restate.GetStateAsync("TicketObject", seat, TicketObject.Status));
    }

    [Fact]
    public async Task AddTicket_EightCartsAtOnce_ExactlyOneGetsTheSeat()
    {
        var seat = NewId("seat");
        var users = Enumerable.Range(1, 8).Select(i => NewId($"user{i}")).ToList();

        // All at once: TicketObject runs one reserve per seat at a time, so exactly one finds it available.
        var added = await Task.WhenAll(users.Select(user => restate.Client.ObjectClient<CartObjectIngressClient>(user).AddTicketAsync(seat)));

        var winner = users[Assert.Single(Enumerable.Range(0, added.Length), i => added[i])];
        Assert.Equal([seat], await restate.GetStateAsync("CartObject", winner, CartObject.Tickets) ?? []);
        foreach (var loser in users.Where(user => user != winner))
        {
            Assert.Null(await restate.GetStateAsync("CartObject", loser, CartObject.Tickets));
        }
    }

    [Fact]
    public async Task Checkout_PaymentDeclined_ReturnsFalseAndKeepsTheReservations()
    {
        var seat = NewId("seat");
        var cart = restate.Client.ObjectClient<CartObjectIngressClient>(restate.DeclinedUser);

        Assert.True(await cart.AddTicketAsync(seat));
        var paid = await cart.CheckoutAsync();

        Assert.False(paid);
        Assert.Equal(TicketStatus.Reserved, await restate.GetStateAsync("TicketObject", seat, TicketObject.Status));
        Assert.Contains(seat, await restate.GetStateAsync("CartObject", restate.DeclinedUser, CartObject.Tickets) ?? []);
    }

    [Fact]
    public async Task AddTicket_SameIdempotencyKeyTwice_AddsOnceAndAnswersTheFirstResult()
    {
        var (user, seat) = (NewId("user"), NewId("seat"));
        var cart = restate.Client.ObjectClient<CartObjectIngressClient>(user);
        var once = new CallOptions { IdempotencyKey = Guid.NewGuid().ToString() };

        var first = await cart.AddTicketAsync(seat, once);
        // Run again, reserve would refuse the seat this cart already holds; the server answers the first result instead.
        var second = await cart.AddTicketAsync(seat, once);

        Assert.Equal((true, true), (first, second));
        Assert.Equal([seat], await restate.GetStateAsync("CartObject", user, CartObject.Tickets) ?? []);
    }

    [Fact]
    public async Task Checkout_EmptyCart_ReturnsFalseAndChargesNothing()
    {
        var user = NewId("user");

        var paid = await restate.Client.ObjectClient<CartObjectIngressClient>(user).CheckoutAsync();

        Assert.False(paid);
        Assert.DoesNotContain(restate.Payments.Charges, charge => charge.UserId == user);
    }

    [Fact]
    public async Task AddTicket_SentOneWay_AnswersAnInvocationIdWhoseResultIsTrue()
    {
        var (user, seat) = (NewId("user"), NewId("seat"));

        // The curl line's `/send`: the ingress answers at once with the invocation id, before addTicket has run.
        var sent = await restate.Client.ObjectClient<CartObjectIngressClient>(user).Send().AddTicketAsync(seat);

        Assert.StartsWith("inv_", sent.InvocationId, StringComparison.Ordinal);
        Assert.True(await restate.Client.AttachAsync(sent.InvocationId, Serde.Boolean));
        Assert.Equal([seat], await restate.GetStateAsync("CartObject", user, CartObject.Tickets) ?? []);
        Assert.Equal(TicketStatus.Reserved, await restate.GetStateAsync("TicketObject", seat, TicketObject.Status));
    }

    [Fact]
    public async Task ExpireTicket_SeatInTheCart_TakesItOutAndReleasesTheSeat()
    {
        var (mary, bob, seat) = (NewId("mary"), NewId("bob"), NewId("seat"));
        var cart = restate.Client.ObjectClient<CartObjectIngressClient>(mary);
        Assert.True(await cart.AddTicketAsync(seat));

        // What the delayed message does after 15 minutes, called at once as in the README's curl line.
        await cart.ExpireTicketAsync(seat);

        Assert.Empty(await restate.GetStateAsync("CartObject", mary, CartObject.Tickets) ?? []);
        // expireTicket sends unreserve one-way: it runs after expireTicket has answered, so wait for its effect.
        await UntilAsync(async () => await restate.GetStateAsync("TicketObject", seat, TicketObject.Status) == TicketStatus.Available);
        Assert.True(await restate.Client.ObjectClient<CartObjectIngressClient>(bob).AddTicketAsync(seat));
    }

    [Fact]
    public async Task ExpireAndUnreserve_AfterCheckout_LeaveTheSeatSold()
    {
        var (user, seat) = (NewId("user"), NewId("seat"));
        var cart = restate.Client.ObjectClient<CartObjectIngressClient>(user);
        Assert.True(await cart.AddTicketAsync(seat));
        Assert.True(await cart.CheckoutAsync());

        // The reservation's delayed expireTicket still arrives after checkout: the seat is no longer in the cart, so it
        // sends nothing; and unreserve itself never releases a sold seat.
        await cart.ExpireTicketAsync(seat);
        await restate.Client.ObjectClient<TicketObjectIngressClient>(seat).UnreserveAsync();

        Assert.Equal(TicketStatus.Sold, await restate.GetStateAsync("TicketObject", seat, TicketObject.Status));
        Assert.False(await restate.Client.ObjectClient<CartObjectIngressClient>(NewId("bob")).AddTicketAsync(seat));
    }

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    private static async Task UntilAsync(Func<Task<bool>> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(15), "the seat was not released within 15 s");
            await Task.Delay(100);
        }
    }
}

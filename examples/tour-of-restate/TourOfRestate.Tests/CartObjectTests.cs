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

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}

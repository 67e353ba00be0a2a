using System.Diagnostics;
using TourOfRestate.Services;

namespace TourOfRestate.Tests;

public sealed class ReservationExpiryTests(ShortReservationFixture restate) : IClassFixture<ShortReservationFixture>
{
    [Fact]
    public async Task AddTicket_ReservationExpires_ReleasesTheSeatForOthers()
    {
        var (mary, bob, seat) = ($"mary-{Guid.NewGuid():N}", $"bob-{Guid.NewGuid():N}", $"seat-{Guid.NewGuid():N}");
        Assert.True(await restate.Client.ObjectClient<CartObjectIngressClient>(mary).AddTicketAsync(seat));

        // The delayed expireTicket runs on restate-server's timer: wait for its effect on the seat, not for a fixed time.
        await UntilAsync(async () => await restate.GetStateAsync("TicketObject", seat, TicketObject.Status) == TicketStatus.Available);

        Assert.Empty(await restate.GetStateAsync("CartObject", mary, CartObject.Tickets) ?? []);
        Assert.True(await restate.Client.ObjectClient<CartObjectIngressClient>(bob).AddTicketAsync(seat));
    }

    private static async Task UntilAsync(Func<Task<bool>> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(15), "the reservation was not released within 15 s");
            await Task.Delay(100);
        }
    }
}

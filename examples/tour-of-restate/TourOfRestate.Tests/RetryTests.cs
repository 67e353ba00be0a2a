using TourOfRestate.Services;

namespace TourOfRestate.Tests;

/// <summary>The Tour's "throw after the call": Restate retries the handler, and the retries replay the journaled call.</summary>
public sealed class RetryTests(FailingAfterReserveFixture restate) : IClassFixture<FailingAfterReserveFixture>
{
    [Fact]
    public async Task AddTicket_FailsTwiceAfterReserving_IsRetriedAndReservesTheSeatOnce()
    {
        var (user, seat) = ($"user-{Guid.NewGuid():N}", $"seat-{Guid.NewGuid():N}");

        var added = await restate.Client.ObjectClient<CartObjectIngressClient>(user).AddTicketAsync(seat);

        // A second reserve of the seat would answer false (it is taken): true means the retries replayed the first answer.
        Assert.True(added);
        Assert.Equal(2, restate.Failures.Failures);
        Assert.Equal(TicketStatus.Reserved, await restate.GetStateAsync("TicketObject", seat, TicketObject.Status));
        Assert.Equal([seat], await restate.GetStateAsync("CartObject", user, CartObject.Tickets) ?? []);
    }
}

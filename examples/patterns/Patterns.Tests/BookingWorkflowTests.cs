using Patterns.Sagas;
using Restate.Sdk;

namespace Patterns.Tests;

public sealed class BookingWorkflowTests(PatternsFixture restate) : IClassFixture<PatternsFixture>
{
    private static readonly BookingRequest Trip = new("12345", "John Doe", "Airport", "4111111111111111", 1500m);

    [Fact]
    public async Task Run_AllStepsSucceed_BooksAndConfirmsTheTrip()
    {
        var trip = PatternsFixtureBase.NewId("trip");

        var booking = await restate.Client.WorkflowClient<BookingWorkflowIngressClient>(trip).RunAsync(Trip);

        Assert.True(Guid.TryParse(booking.PaymentId, out _));
        Assert.Equal(["flight reserved", "car reserved", "payment charged", "flight confirmed", "car confirmed"], restate.Travel.HistoryOf(trip));
    }

    [Fact]
    public async Task Run_CarFails_CancelsOnlyTheFlight()
    {
        var trip = restate.CarFailsTrip;

        var failure = await Assert.ThrowsAsync<TerminalException>(
            () => restate.Client.WorkflowClient<BookingWorkflowIngressClient>(trip).RunAsync(Trip));

        Assert.Equal("Failed to reserve the car", failure.Message);
        // The car's cancellation is registered only once it is reserved: a failed reservation has nothing to undo.
        Assert.Equal(["flight reserved", "flight cancelled"], restate.Travel.HistoryOf(trip));
    }

    [Fact]
    public async Task Run_PaymentFailsAfterCharging_RefundsThenCancelsCarThenFlight()
    {
        var trip = restate.PaymentFailsTrip;

        var failure = await Assert.ThrowsAsync<TerminalException>(
            () => restate.Client.WorkflowClient<BookingWorkflowIngressClient>(trip).RunAsync(Trip));

        Assert.Equal("The payment could not be confirmed", failure.Message);
        // The refund was registered before the charge, so the charge that went through despite the failure is undone;
        // the compensations run in reverse order of registration.
        Assert.Equal(
            ["flight reserved", "car reserved", "payment charged", "payment refunded", "car cancelled", "flight cancelled"],
            restate.Travel.HistoryOf(trip));
    }

    [Fact]
    public async Task Run_FlightFails_UndoesNothing()
    {
        var trip = restate.FlightFailsTrip;

        await Assert.ThrowsAsync<TerminalException>(() => restate.Client.WorkflowClient<BookingWorkflowIngressClient>(trip).RunAsync(Trip));

        Assert.Empty(restate.Travel.HistoryOf(trip));
    }
}

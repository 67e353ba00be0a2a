using Patterns.Sagas;
using Restate.Sdk;

namespace Patterns.Tests;

public sealed class RpcBookingWorkflowTests(PatternsFixture restate) : IClassFixture<PatternsFixture>
{
    private static readonly BookingRequest Trip = new(new FlightInfo("12345", "John Doe"), new CarInfo("Airport", "2024-12-16"), new PaymentInfo("4111111111111111", 1500m));

    [Fact]
    public async Task Run_AllStepsSucceed_ReturnsBookedAfterConfirmingThroughTheServices()
    {
        var trip = PatternsFixtureBase.NewId("trip");

        var outcome = await restate.Client.WorkflowClient<RpcBookingWorkflowIngressClient>(trip).RunAsync(Trip);

        Assert.Equal(BookingStatus.Booked, outcome.Status);
        Assert.True(Guid.TryParse(outcome.Booking?.PaymentId, out _));
        Assert.Equal(["flight reserved", "car reserved", "payment charged", "flight confirmed", "car confirmed"], restate.Travel.HistoryOf(trip));
    }

    [Fact]
    public async Task Run_CarServiceFailsTerminally_CancelsTheFlightAndReturnsCancelledWithTheReason()
    {
        var trip = restate.CarFailsTrip;

        var outcome = await restate.Client.WorkflowClient<RpcBookingWorkflowIngressClient>(trip).RunAsync(Trip);

        // The TerminalException thrown in CarRentals.reserve came back to the workflow's await of the call.
        Assert.Equal(BookingOutcome.Cancelled("Failed to reserve the car"), outcome);
        Assert.Equal(["flight reserved", "flight cancelled"], restate.Travel.HistoryOf(trip));
    }

    [Fact]
    public async Task Run_PaymentFailsAfterCharging_UndoesEverythingLastFirstAndKeepsTheOutcome()
    {
        var trip = restate.PaymentFailsTrip;

        var outcome = await restate.Client.WorkflowClient<RpcBookingWorkflowIngressClient>(trip).RunAsync(Trip);
        // The run succeeded, so its outcome is the workflow's result: a later reader gets it, not an error.
        var later = await restate.Client.AttachWorkflowAsync("RpcBookingWorkflow", trip, Serde.Json(PatternsJson.Default.BookingOutcome));

        Assert.Equal(BookingOutcome.Cancelled("The payment could not be confirmed"), outcome);
        Assert.Equal(outcome, later);
        Assert.Equal(
            ["flight reserved", "car reserved", "payment charged", "payment refunded", "car cancelled", "flight cancelled"],
            restate.Travel.HistoryOf(trip));
    }
}

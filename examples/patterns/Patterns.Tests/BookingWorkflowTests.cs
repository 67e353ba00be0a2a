using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Patterns.Sagas;
using Restate.Sdk;

namespace Patterns.Tests;

public sealed class BookingWorkflowTests(PatternsFixture restate) : IClassFixture<PatternsFixture>
{
    private static readonly BookingRequest Trip = new(new FlightInfo("12345", "John Doe"), new CarInfo("Airport", "2024-12-16"), new PaymentInfo("4111111111111111", 1500m));

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

    [Fact]
    public async Task Run_TheBodyOfRestatesCurlExample_BooksTheTrip()
    {
        var trip = PatternsFixtureBase.NewId("trip");
        // The body of Restate's saga example, as its curl line sends it.
        const string body = """
            {"flights": {"flightId": "12345", "passengerName": "John Doe"},
             "car": {"pickupLocation": "Airport", "rentalDate": "2024-12-16"},
             "paymentInfo": {"cardNumber": "4111111111111111", "amount": 1500}}
            """;

        using var response = await restate.Environment.Server.Ingress.PostAsync(
            $"BookingWorkflow/{trip}/run", new StringContent(body, Encoding.UTF8, "application/json"));
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("flight-", answer?["flightBookingId"]?.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("car-", answer?["carBookingId"]?.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["flight reserved", "car reserved", "payment charged", "flight confirmed", "car confirmed"], restate.Travel.HistoryOf(trip));
    }

    [Fact]
    public async Task Run_RequestWithoutCar_FailsWith400AndBooksNothing()
    {
        var trip = PatternsFixtureBase.NewId("trip");

        var failure = await Assert.ThrowsAsync<TerminalException>(() =>
            restate.Client.WorkflowClient<BookingWorkflowIngressClient>(trip).RunAsync(Trip with { Car = null! }));

        Assert.Equal(400, failure.Code);
        Assert.StartsWith("A booking needs flights (flightId, passengerName), car (pickupLocation, rentalDate)", failure.Message, StringComparison.Ordinal);
        Assert.Empty(restate.Travel.HistoryOf(trip));
    }
}

using Restate.Sdk;

namespace Patterns.Sagas;

/// <summary>
/// The trip booking saga with its reservations as calls to other Restate services (<see cref="Flights"/>,
/// <see cref="CarRentals"/>) instead of side effects of its own, and a failure answered as an outcome: when a step
/// fails terminally, the steps before it are undone and the run ends normally with <see cref="BookingStatus.Cancelled"/>
/// and the reason.
/// </summary>
[Workflow("RpcBookingWorkflow")]
public sealed partial class RpcBookingWorkflow(ITravelProviders providers)
{
    /// <summary>Reserves the flight and the car, charges the payment, then confirms both reservations.</summary>
    /// <returns>The booking, or why it was cancelled.</returns>
    /// <exception cref="TerminalException">400: a part of the request is missing (nothing was booked, so nothing is undone).</exception>
    [Handler("run")]
    public async Task<BookingOutcome> RunAsync(WorkflowContext ctx, BookingRequest request)
    {
        BookingRequest.Validate(request);
        var tripId = ctx.Key;
        var flights = ctx.ServiceClient<FlightsClient>();
        var cars = ctx.ServiceClient<CarRentalsClient>();
        // A call is journaled like a run: after a crash the saga gets the reservation id back from its journal, and a
        // called service's TerminalException comes back to the await here as a TerminalException.
        var compensations = new Stack<Func<DurableFuture>>();
        try
        {
            var flight = await flights.ReserveAsync(new FlightReservationRequest(tripId, request.Flights.FlightId, request.Flights.PassengerName));
            compensations.Push(() => flights.CancelAsync(new TripReservation(tripId, flight)));

            var car = await cars.ReserveAsync(new CarReservationRequest(tripId, request.Car.PickupLocation, request.Car.RentalDate));
            compensations.Push(() => cars.CancelAsync(new TripReservation(tripId, car)));

            // The payment stays a journaled side effect, with its refund registered before the charge (see BookingWorkflow).
            var paymentId = ctx.Random.NewGuid().ToString();
            compensations.Push(() => ctx.RunAsync("refund payment", cancellation => providers.RefundAsync(tripId, paymentId, cancellation)));
            await ctx.RunAsync("charge payment",
                cancellation => providers.ChargeAsync(tripId, paymentId, request.PaymentInfo.CardNumber, request.PaymentInfo.Amount, cancellation));

            await flights.ConfirmAsync(new TripReservation(tripId, flight));
            await cars.ConfirmAsync(new TripReservation(tripId, car));
            return BookingOutcome.Booked(new TripBooking(flight, car, paymentId));
        }
        catch (TerminalException failure)
        {
            while (compensations.TryPop(out var compensate))
            {
                await compensate();
            }
            // Undone as a whole: the run succeeds with the outcome, which the workflow keeps as its result for later readers.
            return BookingOutcome.Cancelled(failure.Message);
        }
    }
}

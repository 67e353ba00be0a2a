using Restate.Sdk;

namespace Patterns.Sagas;

/// <summary>
/// Books a trip (flight, car, payment) as a saga, once per trip id: each step registers how to undo it, and a terminal
/// failure undoes the steps taken so far, last first, before the workflow fails with that error.
/// </summary>
[Workflow("BookingWorkflow")]
public sealed partial class BookingWorkflow(ITravelProviders providers)
{
    /// <summary>Reserves the flight and the car, charges the payment, then confirms both reservations.</summary>
    /// <returns>The trip's reservations and payment.</returns>
    /// <exception cref="TerminalException">A step failed terminally; the steps before it have been undone. 400: a part of the request is missing.</exception>
    [Handler("run")]
    public async Task<TripBooking> RunAsync(WorkflowContext ctx, BookingRequest request)
    {
        BookingRequest.Validate(request);
        var tripId = ctx.Key;
        // Each step is journaled (RunAsync), so after a crash the saga resumes with the same reservation ids and the
        // same list of compensations, and a compensation runs at most once.
        var compensations = new Stack<Func<DurableFuture>>();
        try
        {
            // Two-phase: a reservation that failed was never made, so its cancellation is registered after it, with its id.
            var flight = await ctx.RunAsync("reserve flight",
                cancellation => providers.ReserveFlightAsync(tripId, request.Flights.FlightId, request.Flights.PassengerName, cancellation));
            compensations.Push(() => ctx.RunAsync("cancel flight", cancellation => providers.CancelFlightAsync(tripId, flight, cancellation)));

            var car = await ctx.RunAsync("reserve car",
                cancellation => providers.ReserveCarAsync(tripId, request.Car.PickupLocation, request.Car.RentalDate, cancellation));
            compensations.Push(() => ctx.RunAsync("cancel car", cancellation => providers.CancelCarAsync(tripId, car, cancellation)));

            // One-shot: a failed charge may have gone through anyway, so the refund is registered before charging. The
            // payment id comes from ctx.Random (the same on every retry): the provider charges it once and knows what to refund.
            var paymentId = ctx.Random.NewGuid().ToString();
            compensations.Push(() => ctx.RunAsync("refund payment", cancellation => providers.RefundAsync(tripId, paymentId, cancellation)));
            await ctx.RunAsync("charge payment",
                cancellation => providers.ChargeAsync(tripId, paymentId, request.PaymentInfo.CardNumber, request.PaymentInfo.Amount, cancellation));

            await ctx.RunAsync("confirm flight", cancellation => providers.ConfirmFlightAsync(tripId, flight, cancellation));
            await ctx.RunAsync("confirm car", cancellation => providers.ConfirmCarAsync(tripId, car, cancellation));
            return new TripBooking(flight, car, paymentId);
        }
        catch (TerminalException)
        {
            // Only terminal failures compensate: any other exception is retried by Restate until the step succeeds.
            while (compensations.TryPop(out var compensate))
            {
                await compensate();
            }
            throw;
        }
    }
}

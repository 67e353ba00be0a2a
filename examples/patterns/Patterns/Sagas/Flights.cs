using Restate.Sdk;

namespace Patterns.Sagas;

/// <summary>The airline as a Restate service: each reservation, confirmation and cancellation is an invocation of its own.</summary>
[Service("Flights")]
public sealed partial class Flights(ITravelProviders providers)
{
    /// <summary>Holds a seat.</summary>
    /// <returns>The reservation id.</returns>
    /// <exception cref="TerminalException">The airline refused the reservation; it reaches the caller's await.</exception>
    [Handler("reserve")]
    public async Task<string> ReserveAsync(Context ctx, FlightReservationRequest request) =>
        await ctx.RunAsync("reserve", cancellation => providers.ReserveFlightAsync(request.TripId, request.FlightId, request.PassengerName, cancellation));

    /// <summary>Makes the reservation final.</summary>
    [Handler("confirm")]
    public async Task ConfirmAsync(Context ctx, TripReservation reservation) =>
        await ctx.RunAsync("confirm", cancellation => providers.ConfirmFlightAsync(reservation.TripId, reservation.ReservationId, cancellation));

    /// <summary>Releases the reservation; cancelling twice is harmless.</summary>
    [Handler("cancel")]
    public async Task CancelAsync(Context ctx, TripReservation reservation) =>
        await ctx.RunAsync("cancel", cancellation => providers.CancelFlightAsync(reservation.TripId, reservation.ReservationId, cancellation));
}

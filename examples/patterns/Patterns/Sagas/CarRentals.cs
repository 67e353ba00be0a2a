using Restate.Sdk;

namespace Patterns.Sagas;

/// <summary>The car rental as a Restate service: each reservation, confirmation and cancellation is an invocation of its own.</summary>
[Service("CarRentals")]
public sealed partial class CarRentals(ITravelProviders providers)
{
    /// <summary>Holds a car.</summary>
    /// <returns>The reservation id.</returns>
    /// <exception cref="TerminalException">The rental refused the reservation; it reaches the caller's await.</exception>
    [Handler("reserve")]
    public async Task<string> ReserveAsync(Context ctx, CarReservationRequest request) =>
        await ctx.RunAsync("reserve", cancellation => providers.ReserveCarAsync(request.TripId, request.PickupLocation, request.RentalDate, cancellation));

    /// <summary>Makes the reservation final.</summary>
    [Handler("confirm")]
    public async Task ConfirmAsync(Context ctx, TripReservation reservation) =>
        await ctx.RunAsync("confirm", cancellation => providers.ConfirmCarAsync(reservation.TripId, reservation.ReservationId, cancellation));

    /// <summary>Releases the reservation; cancelling twice is harmless.</summary>
    [Handler("cancel")]
    public async Task CancelAsync(Context ctx, TripReservation reservation) =>
        await ctx.RunAsync("cancel", cancellation => providers.CancelCarAsync(reservation.TripId, reservation.ReservationId, cancellation));
}

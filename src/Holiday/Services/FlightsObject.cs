using Holiday.Data;
using Holiday.Domain;
using Restate.Sdk;

namespace Holiday.Services;

/// <summary>The flight bookings of a trip, keyed by trip id.</summary>
// Ingress-private: only the saga calls it; a caller on the ingress cannot book, charge or refund on its own.
[VirtualObject(HolidayServices.Flights, IngressPrivate = true)]
public sealed partial class FlightsObject(IBookingStore store)
{
    private readonly BookingHandlers _bookings = BookingHandlers.Flights(store);

    /// <summary>Books the trip's flights (pending until confirmed); run_type failFlightsReservation fails it.</summary>
    [Handler("reserve")]
    public Task<Booking> ReserveAsync(ObjectContext ctx, BookingRequest request) => _bookings.ReserveAsync(ctx, request);

    /// <summary>Confirms a flight booking; run_type failFlightsConfirmation fails it.</summary>
    [Handler("confirm")]
    public Task<Booking> ConfirmAsync(ObjectContext ctx, BookingAction action) => _bookings.ConfirmAsync(ctx, action);

    /// <summary>Cancels a flight booking; a booking that was never written stays unwritten.</summary>
    [Handler("cancel")]
    public Task<Booking> CancelAsync(ObjectContext ctx, BookingAction action) => _bookings.CancelAsync(ctx, action);
}

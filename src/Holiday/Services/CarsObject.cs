using Holiday.Data;
using Holiday.Domain;
using Restate.Sdk;

namespace Holiday.Services;

/// <summary>The car rentals of a trip, keyed by trip id.</summary>
// Ingress-private: only the saga calls it; a caller on the ingress cannot book, charge or refund on its own.
[VirtualObject(HolidayServices.Cars, IngressPrivate = true)]
public sealed partial class CarsObject(IBookingStore store)
{
    private readonly BookingHandlers _bookings = BookingHandlers.Cars(store);

    /// <summary>Books the trip's car rental (pending until confirmed); run_type failCarRentalReservation fails it.</summary>
    [Handler("reserve")]
    public Task<Booking> ReserveAsync(ObjectContext ctx, BookingRequest request) => _bookings.ReserveAsync(ctx, request);

    /// <summary>Confirms a car rental; run_type failCarRentalConfirmation fails it.</summary>
    [Handler("confirm")]
    public Task<Booking> ConfirmAsync(ObjectContext ctx, BookingAction action) => _bookings.ConfirmAsync(ctx, action);

    /// <summary>Cancels a car rental; a rental that was never written stays unwritten.</summary>
    [Handler("cancel")]
    public Task<Booking> CancelAsync(ObjectContext ctx, BookingAction action) => _bookings.CancelAsync(ctx, action);
}

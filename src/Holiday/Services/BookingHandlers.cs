using Holiday.Data;
using Holiday.Domain;
using Restate.Sdk;

namespace Holiday.Services;

/// <summary>
/// The bodies of the handlers <c>reserve</c>, <c>confirm</c> and <c>cancel</c> that <c>flights</c>
/// (<see cref="FlightsObject"/>) and <c>cars</c> (<see cref="CarsObject"/>) share; not a Restate object itself. The two
/// differ only in their table, their failure messages and the trip details they store.
/// </summary>
internal sealed class BookingHandlers
{
    private readonly string _name;
    private readonly IBookingStore _store;
    private readonly Failures _failures;
    private readonly Func<BookingRequest, IReadOnlyDictionary<string, string>> _details;

    private BookingHandlers(string name, IBookingStore store, Failures failures, Func<BookingRequest, IReadOnlyDictionary<string, string>> details)
    {
        _name = name;
        _store = store;
        _failures = failures;
        _details = details;
    }

    /// <summary>The flight bookings of <c>flights</c>.</summary>
    public static BookingHandlers Flights(IBookingStore store) => new(HolidayServices.Flights, store,
        new Failures(RunType.FailFlightsReservation, "Failed to book the flights", RunType.FailFlightsConfirmation, "Failed to confirm the flights"),
        request => new Dictionary<string, string>
        {
            ["depart_city"] = request.DepartCity,
            ["depart_time"] = request.DepartTime,
            ["arrive_city"] = request.ArriveCity,
            ["arrive_time"] = request.ArriveTime,
        });

    /// <summary>The car rentals of <c>cars</c>.</summary>
    public static BookingHandlers Cars(IBookingStore store) => new(HolidayServices.Cars, store,
        new Failures(RunType.FailCarRentalReservation, "Failed to book the car rental", RunType.FailCarRentalConfirmation, "Failed to confirm the car rental"),
        request => new Dictionary<string, string>
        {
            ["rental"] = request.Rental,
            ["rental_from"] = request.RentalFrom,
            ["rental_to"] = request.RentalTo,
        });

    /// <summary><c>reserve</c>: writes a pending booking of the trip (<c>ctx.Key</c>) under a new booking id.</summary>
    public async Task<Booking> ReserveAsync(ObjectContext ctx, BookingRequest request)
    {
        if (request.RunType == _failures.Reserve)
        {
            throw new TerminalException(_failures.ReserveMessage);
        }
        var tripId = ctx.Key;
        var bookingId = ctx.Random.NewGuid().ToString();
        await ctx.RunAsync($"reserve {_name}", cancellation =>
            _store.ReserveAsync(new BookingRecord(tripId, bookingId, _details(request)), cancellation));
        return new Booking(bookingId);
    }

    /// <summary><c>confirm</c>: marks the booking confirmed; 404 when the trip has no such booking.</summary>
    public async Task<Booking> ConfirmAsync(ObjectContext ctx, BookingAction action)
    {
        var bookingId = RequiredId.Of(action.BookingId, "booking_id");
        if (action.RunType == _failures.Confirm)
        {
            throw new TerminalException(_failures.ConfirmMessage);
        }
        var tripId = ctx.Key;
        var found = await ctx.RunAsync($"confirm {_name}", cancellation =>
            _store.SetStatusAsync(tripId, bookingId, TransactionStatus.Confirmed, cancellation));
        return found ? new Booking(bookingId) : throw new TerminalException($"Trip {tripId} has no {_name} booking {bookingId}.", 404);
    }

    /// <summary><c>cancel</c>: marks the booking cancelled, if it was ever written.</summary>
    public async Task<Booking> CancelAsync(ObjectContext ctx, BookingAction action)
    {
        var bookingId = RequiredId.Of(action.BookingId, "booking_id");
        var tripId = ctx.Key;
        // Cancelling a booking that was never written is a no-op: compensations must be safe to run blindly.
        await ctx.RunAsync($"cancel {_name}", cancellation =>
            _store.SetStatusAsync(tripId, bookingId, TransactionStatus.Cancelled, cancellation));
        return new Booking(bookingId);
    }

    private sealed record Failures(RunType Reserve, string ReserveMessage, RunType Confirm, string ConfirmMessage);
}

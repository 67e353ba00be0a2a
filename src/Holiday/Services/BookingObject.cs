using Holiday.Data;
using Holiday.Domain;
using Restate.Sdk;
using Restate.Sdk.Definitions;

namespace Holiday.Services;

/// <summary>
/// <c>flights</c> and <c>cars</c>: virtual objects keyed by trip id with <c>reserve</c>, <c>confirm</c> and
/// <c>cancel</c>. They differ only in their table, their failure messages and the trip details they store.
/// </summary>
public static class BookingObject
{
    public static ServiceDefinition Flights(IBookingStore store) => Define(HolidayServices.Flights, store,
        new Failures(RunType.FailFlightsReservation, "Failed to book the flights", RunType.FailFlightsConfirmation, "Failed to confirm the flights"),
        request => new Dictionary<string, string>
        {
            ["depart_city"] = request.DepartCity,
            ["depart_time"] = request.DepartTime,
            ["arrive_city"] = request.ArriveCity,
            ["arrive_time"] = request.ArriveTime,
        });

    public static ServiceDefinition Cars(IBookingStore store) => Define(HolidayServices.Cars, store,
        new Failures(RunType.FailCarRentalReservation, "Failed to book the car rental", RunType.FailCarRentalConfirmation, "Failed to confirm the car rental"),
        request => new Dictionary<string, string>
        {
            ["rental"] = request.Rental,
            ["rental_from"] = request.RentalFrom,
            ["rental_to"] = request.RentalTo,
        });

    private static ServiceDefinition Define(string name, IBookingStore store, Failures failures,
        Func<BookingRequest, IReadOnlyDictionary<string, string>> details) =>
        ServiceDefinition.ForVirtualObject(name)
            .Handler("reserve", async (ObjectContext ctx, BookingRequest request) =>
            {
                if (request.RunType == RunTypes.ToName(failures.Reserve))
                {
                    throw new TerminalException(failures.ReserveMessage);
                }
                var tripId = ctx.Key;
                var bookingId = ctx.Random.NewGuid().ToString();
                await ctx.RunAsync($"reserve {name}", cancellation =>
                    store.ReserveAsync(new BookingRecord(tripId, bookingId, details(request)), cancellation));
                return new Booking(bookingId);
            }, HolidaySerdes.BookingRequest, HolidaySerdes.Booking)
            .Handler("confirm", async (ObjectContext ctx, BookingAction action) =>
            {
                var bookingId = RequireId(action.BookingId, "booking_id");
                if (action.RunType == RunTypes.ToName(failures.Confirm))
                {
                    throw new TerminalException(failures.ConfirmMessage);
                }
                var tripId = ctx.Key;
                var found = await ctx.RunAsync($"confirm {name}", cancellation =>
                    store.SetStatusAsync(tripId, bookingId, TransactionStatus.Confirmed, cancellation), Serde.Boolean);
                return found ? new Booking(bookingId) : throw new TerminalException($"Trip {tripId} has no {name} booking {bookingId}.", 404);
            }, HolidaySerdes.BookingAction, HolidaySerdes.Booking)
            .Handler("cancel", async (ObjectContext ctx, BookingAction action) =>
            {
                var bookingId = RequireId(action.BookingId, "booking_id");
                var tripId = ctx.Key;
                // Cancelling a booking that was never written is a no-op: compensations must be safe to run blindly.
                await ctx.RunAsync($"cancel {name}", cancellation =>
                    store.SetStatusAsync(tripId, bookingId, TransactionStatus.Cancelled, cancellation), Serde.Boolean);
                return new Booking(bookingId);
            }, HolidaySerdes.BookingAction, HolidaySerdes.Booking)
            .Build();

    internal static string RequireId(string? id, string field) =>
        string.IsNullOrWhiteSpace(id) ? throw new TerminalException($"{field} is required.", 400) : id;

    private sealed record Failures(RunType Reserve, string ReserveMessage, RunType Confirm, string ConfirmMessage);
}

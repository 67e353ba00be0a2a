using Holiday.Domain;
using Restate.Sdk;

namespace Holiday.Services;

/// <summary>The serdes of every message the Holiday services exchange (snake_case JSON).</summary>
internal static class HolidaySerdes
{
    public static readonly Serde<TripResult> TripResult = Serde.Json(HolidayJson.Default.TripResult);
    public static readonly Serde<TripBooking> TripBooking = Serde.Json(HolidayJson.Default.TripBooking, () => new TripBooking(null));
    public static readonly Serde<BookingRequest> BookingRequest = Serde.Json(HolidayJson.Default.BookingRequest);
    public static readonly Serde<Booking> Booking = Serde.Json(HolidayJson.Default.Booking);
    public static readonly Serde<BookingAction> BookingAction = Serde.Json(HolidayJson.Default.BookingAction);
    public static readonly Serde<PaymentRequest> PaymentRequest = Serde.Json(HolidayJson.Default.PaymentRequest);
    public static readonly Serde<Payment> Payment = Serde.Json(HolidayJson.Default.Payment);
    public static readonly Serde<TripOutcome> TripOutcome = Serde.Json(HolidayJson.Default.TripOutcome);
}

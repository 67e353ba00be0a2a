namespace Holiday.Domain;

/// <summary>What the caller asked for: an optional trip id and an optional failure to inject.</summary>
public sealed record TripRequest(string? TripId, RunType? RunType);

/// <summary>The answer of a successful <c>trips/reserve</c>.</summary>
public sealed record TripResult(string Status, string TripId);

/// <summary>What <c>trip_saga/{tripId}/book</c> receives.</summary>
public sealed record TripBooking(RunType? RunType);

/// <summary>The trip's travel details, sent to flights and cars (fixed, as in the original sample).</summary>
public sealed record BookingRequest(
    string TripId,
    RunType? RunType,
    string DepartCity,
    string DepartTime,
    string ArriveCity,
    string ArriveTime,
    string Rental,
    string RentalFrom,
    string RentalTo)
{
    public static BookingRequest ForTrip(string tripId, RunType? runType) => new(tripId, runType,
        "Detroit", "2021-07-07T06:00:00.000Z", "Frankfurt", "2021-07-09T08:00:00.000Z",
        "BMW", "2021-07-09T00:00:00.000Z", "2021-07-17T00:00:00.000Z");
}

/// <summary>A flight or car booking, by id.</summary>
public sealed record Booking(string BookingId);

/// <summary>Confirm or cancel a booking; <see cref="RunType"/> lets a confirmation fail on purpose.</summary>
public sealed record BookingAction(string BookingId, RunType? RunType = null);

/// <summary>Charge a payment whose id the saga drew (and registered a refund for) before charging.</summary>
public sealed record PaymentRequest(string PaymentId, RunType? RunType);

/// <summary>A payment, by id.</summary>
public sealed record Payment(string PaymentId);

/// <summary>The saga's outcome, kept by trip id so a repeated reserve answers the same.</summary>
public sealed record TripOutcome(string TripId, bool Booked, string Message, string? FlightBookingId, string? CarBookingId, string? PaymentId);

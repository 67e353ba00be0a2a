namespace Patterns.Sagas;

/// <summary>How a booking ended: booked, or cancelled (every step taken was undone) and why.</summary>
public sealed record BookingOutcome(BookingStatus Status, TripBooking? Booking, string? Reason)
{
    /// <summary>The trip is booked.</summary>
    public static BookingOutcome Booked(TripBooking booking) => new(BookingStatus.Booked, booking, null);

    /// <summary>A step failed for the given reason; the steps before it were undone.</summary>
    public static BookingOutcome Cancelled(string reason) => new(BookingStatus.Cancelled, null, reason);
}

/// <summary>Whether a booking went through.</summary>
public enum BookingStatus
{
    /// <summary>Reserved, charged and confirmed.</summary>
    Booked,

    /// <summary>A step failed terminally and the steps before it were undone.</summary>
    Cancelled,
}

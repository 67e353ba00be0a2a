namespace Patterns.Sagas;

/// <summary>A trip to book: the flight, the car and what to charge for both.</summary>
public sealed record BookingRequest(string FlightId, string PassengerName, string PickupLocation, string CardNumber, decimal Amount);

/// <summary>A booked trip: the confirmed reservations and the charge.</summary>
public sealed record TripBooking(string FlightBookingId, string CarBookingId, string PaymentId);

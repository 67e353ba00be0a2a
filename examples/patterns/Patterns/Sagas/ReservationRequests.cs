namespace Patterns.Sagas;

/// <summary>A seat to hold on a flight for a trip.</summary>
public sealed record FlightReservationRequest(string TripId, string FlightId, string PassengerName);

/// <summary>A car to hold for a trip, from the pickup location on the rental date.</summary>
public sealed record CarReservationRequest(string TripId, string PickupLocation, string RentalDate);

/// <summary>A reservation made for a trip, to confirm or cancel.</summary>
public sealed record TripReservation(string TripId, string ReservationId);

namespace Patterns.Sagas;

/// <summary>
/// The airline, the car rental and the payment provider. Flights and cars reserve first and confirm or cancel later
/// by reservation id; a payment goes through in one call, under a key its caller chooses. Every undo is idempotent.
/// </summary>
public interface ITravelProviders
{
    /// <summary>Holds a seat on the flight until it is confirmed or cancelled.</summary>
    /// <returns>The reservation id.</returns>
    Task<string> ReserveFlightAsync(string tripId, string flightId, string passengerName, CancellationToken cancellationToken);

    /// <summary>Makes a flight reservation final.</summary>
    Task ConfirmFlightAsync(string tripId, string reservationId, CancellationToken cancellationToken);

    /// <summary>Releases a flight reservation; cancelling twice is harmless.</summary>
    Task CancelFlightAsync(string tripId, string reservationId, CancellationToken cancellationToken);

    /// <summary>Holds a car, to pick up at <paramref name="pickupLocation"/> on <paramref name="rentalDate"/>, until it is confirmed or cancelled.</summary>
    /// <returns>The reservation id.</returns>
    Task<string> ReserveCarAsync(string tripId, string pickupLocation, string rentalDate, CancellationToken cancellationToken);

    /// <summary>Makes a car reservation final.</summary>
    Task ConfirmCarAsync(string tripId, string reservationId, CancellationToken cancellationToken);

    /// <summary>Releases a car reservation; cancelling twice is harmless.</summary>
    Task CancelCarAsync(string tripId, string reservationId, CancellationToken cancellationToken);

    /// <summary>Charges the card once per payment id.</summary>
    Task ChargeAsync(string tripId, string paymentId, string cardNumber, decimal amount, CancellationToken cancellationToken);

    /// <summary>Refunds the payment if it was charged; a payment that never went through, or one refunded already, is left alone.</summary>
    Task RefundAsync(string tripId, string paymentId, CancellationToken cancellationToken);
}

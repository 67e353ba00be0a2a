using Restate.Sdk;

namespace Patterns.Sagas;

/// <summary>
/// A trip to book, in the shape of Restate's saga examples: the flight, the car and the payment for both
/// (<c>{"flights": {…}, "car": {…}, "paymentInfo": {…}}</c>).
/// </summary>
public sealed record BookingRequest(FlightInfo Flights, CarInfo Car, PaymentInfo PaymentInfo)
{
    /// <summary>Refuses a request with a part missing, before any step is taken.</summary>
    /// <exception cref="TerminalException">400, naming what is missing.</exception>
    public static void Validate(BookingRequest? request)
    {
        if (request?.Flights is not { FlightId.Length: > 0, PassengerName.Length: > 0 }
            || request.Car is not { PickupLocation.Length: > 0, RentalDate.Length: > 0 }
            || request.PaymentInfo is not { CardNumber.Length: > 0, Amount: > 0 })
        {
            throw new TerminalException(
                "A booking needs flights (flightId, passengerName), car (pickupLocation, rentalDate) and paymentInfo (cardNumber, a positive amount).", 400);
        }
    }
}

/// <summary>The seat to reserve: which flight, for whom.</summary>
public sealed record FlightInfo(string FlightId, string PassengerName);

/// <summary>The car to reserve: where and on which day (<c>"2024-12-16"</c>) it is picked up.</summary>
public sealed record CarInfo(string PickupLocation, string RentalDate);

/// <summary>What to charge, on which card.</summary>
public sealed record PaymentInfo(string CardNumber, decimal Amount);

/// <summary>A booked trip: the confirmed reservations and the charge.</summary>
public sealed record TripBooking(string FlightBookingId, string CarBookingId, string PaymentId);

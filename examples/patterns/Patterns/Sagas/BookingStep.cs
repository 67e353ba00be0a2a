namespace Patterns.Sagas;

/// <summary>The steps of a trip booking that the in-process providers can be told to fail.</summary>
public enum BookingStep
{
    /// <summary>Reserving the flight.</summary>
    Flight,

    /// <summary>Reserving the car.</summary>
    Car,

    /// <summary>Charging the payment.</summary>
    Payment,
}

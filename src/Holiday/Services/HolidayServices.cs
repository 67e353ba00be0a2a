using Holiday.Data;
using Restate.Sdk.Definitions;

namespace Holiday.Services;

/// <summary>What the Holiday services need from the outside world.</summary>
public sealed record HolidayDependencies(IBookingStore Flights, IBookingStore Cars, IPaymentStore Payments, ITripStore Trips, INotifier Notifier);

/// <summary>The Restate names of the Holiday services (curl paths depend on them) and their definitions.</summary>
public static class HolidayServices
{
    public const string Trips = "trips";
    public const string TripSaga = "trip_saga";
    public const string Flights = "flights";
    public const string Cars = "cars";
    public const string Payments = "payments";

    /// <summary>All services, for a host that serves them together.</summary>
    public static IReadOnlyList<ServiceDefinition> All(HolidayDependencies dependencies) =>
    [
        TripsService.Definition(),
        TripSagaObject.Definition(dependencies.Trips, dependencies.Notifier),
        BookingObject.Flights(dependencies.Flights),
        BookingObject.Cars(dependencies.Cars),
        PaymentsObject.Definition(dependencies.Payments),
    ];
}

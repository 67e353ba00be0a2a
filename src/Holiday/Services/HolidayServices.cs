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

    /// <summary>The functions a Lambda deployment has, each exposing its own services (trips carries its saga object).</summary>
    public static IReadOnlyList<string> FunctionNames { get; } = [Trips, Flights, Cars, Payments];

    /// <summary>
    /// The services one Lambda function exposes. Each Restate service lives in exactly one function, since two
    /// deployments exposing the same service would replace each other.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="function"/> is not one of <see cref="FunctionNames"/>.</exception>
    public static IReadOnlyList<ServiceDefinition> ForFunction(string? function, HolidayDependencies dependencies) => function switch
    {
        Trips => [TripsService.Definition(), TripSagaObject.Definition(new TripSagaObject(dependencies.Trips, dependencies.Notifier))],
        Flights => [FlightsObject.Definition(new FlightsObject(dependencies.Flights))],
        Cars => [CarsObject.Definition(new CarsObject(dependencies.Cars))],
        Payments => [PaymentsObject.Definition(new PaymentsObject(dependencies.Payments))],
        _ => throw new ArgumentException(
            $"HOLIDAY_SERVICE must name the service this function serves, one of {string.Join(", ", FunctionNames)}; got '{function}'."),
    };

    /// <summary>All services, for a host that serves them together.</summary>
    public static IReadOnlyList<ServiceDefinition> All(HolidayDependencies dependencies) =>
        [.. FunctionNames.SelectMany(function => ForFunction(function, dependencies))];
}

using Holiday.Data;
using Restate.Sdk.Definitions;

namespace Holiday.Services;

/// <summary>What the Holiday services need from the outside world.</summary>
public sealed record HolidayDependencies(IBookingStore Flights, IBookingStore Cars, IPaymentStore Payments, ITripStore Trips, INotifier Notifier);

/// <summary>The Holiday services' definitions, bound to their dependencies, per function or all together.</summary>
public static class HolidayDefinitions
{
    /// <summary>The services one Lambda function exposes (<see cref="HolidayServices.ServicesOf"/>).</summary>
    /// <exception cref="ArgumentException"><paramref name="function"/> is not one of <see cref="HolidayServices.FunctionNames"/>.</exception>
    public static IReadOnlyList<ServiceDefinition> ForFunction(string? function, HolidayDependencies dependencies) => function switch
    {
        HolidayServices.Trips => [TripsService.Definition(), TripSagaObject.Definition(new TripSagaObject(dependencies.Trips, dependencies.Notifier))],
        HolidayServices.Flights => [FlightsObject.Definition(new FlightsObject(dependencies.Flights))],
        HolidayServices.Cars => [CarsObject.Definition(new CarsObject(dependencies.Cars))],
        HolidayServices.Payments => [PaymentsObject.Definition(new PaymentsObject(dependencies.Payments))],
        _ => throw new ArgumentException(
            $"HOLIDAY_SERVICE must name the service this function serves, one of {string.Join(", ", HolidayServices.FunctionNames)}; got '{function}'."),
    };

    /// <summary>All services, for a host that serves them together.</summary>
    public static IReadOnlyList<ServiceDefinition> All(HolidayDependencies dependencies) =>
        [.. HolidayServices.FunctionNames.SelectMany(function => ForFunction(function, dependencies))];
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Restate.Sdk.DependencyInjection;

namespace Holiday.Services;

/// <summary>
/// The Holiday services for <c>AddRestate</c>: each invocation attempt runs on instances from the container, which
/// must hold a <see cref="HolidayDependencies"/> singleton.
/// </summary>
public static class HolidayRegistration
{
    /// <summary>
    /// Registers the services one Lambda function exposes (<see cref="HolidayServices.ServicesOf"/>), or all of them when
    /// <paramref name="function"/> is null. The saga and payments get their stores by constructor injection; flights and
    /// cars take the same interface with different tables, so they are registered with factories.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="function"/> is not null nor one of <see cref="HolidayServices.FunctionNames"/>.</exception>
    public static RestateBuilder AddHolidayServices(this RestateBuilder restate, string? function = null)
    {
        ArgumentNullException.ThrowIfNull(restate);
        if (function is null)
        {
            foreach (var each in HolidayServices.FunctionNames)
            {
                restate.AddHolidayServices(each);
            }
            return restate;
        }
        var services = restate.Services;
        switch (function)
        {
            case HolidayServices.Trips:
                services.TryAddSingleton(provider => provider.GetRequiredService<HolidayDependencies>().Trips);
                services.TryAddSingleton(provider => provider.GetRequiredService<HolidayDependencies>().Notifier);
                return restate.AddDefinition(TripsService.Definition()).AddService<TripSagaObject>();
            case HolidayServices.Flights:
                services.TryAddTransient(provider => new FlightsObject(provider.GetRequiredService<HolidayDependencies>().Flights));
                return restate.AddService<FlightsObject>();
            case HolidayServices.Cars:
                services.TryAddTransient(provider => new CarsObject(provider.GetRequiredService<HolidayDependencies>().Cars));
                return restate.AddService<CarsObject>();
            case HolidayServices.Payments:
                services.TryAddSingleton(provider => provider.GetRequiredService<HolidayDependencies>().Payments);
                return restate.AddService<PaymentsObject>();
            default:
                throw new ArgumentException(
                    $"HOLIDAY_SERVICE must name the service this function serves, one of {string.Join(", ", HolidayServices.FunctionNames)}; got '{function}'.");
        }
    }
}

using Holiday.Hosting;
using Holiday.Services;
using Microsoft.Extensions.DependencyInjection;
using Restate.Sdk.Endpoint;

namespace Holiday.Tests;

/// <summary>Each Lambda function serves exactly the services the one list says it hosts (the list the CDK registers).</summary>
public sealed class HolidayRegistrationTests
{
    private static readonly HolidayDependencies Dependencies =
        HolidayAws.CreateLocalDependencies(new Uri("http://127.0.0.1:1/"));

    [Fact]
    public void AddHolidayServices_EachFunction_ServesTheServicesTheListNames()
    {
        Assert.Equal(HolidayServices.FunctionNames.Order(StringComparer.Ordinal), HolidayServices.ServicesOf.Keys.Order(StringComparer.Ordinal));
        foreach (var function in HolidayServices.FunctionNames)
        {
            var served = Endpoint(function).Services.Select(d => d.Name);

            Assert.Equal(HolidayServices.ServicesOf[function], served);
        }
    }

    [Fact]
    public void AddHolidayServices_NoFunction_ServesEveryServiceOnce()
    {
        var all = Endpoint(null).Services.Select(d => d.Name).ToList();

        Assert.Equal(HolidayServices.ServicesOf.Values.SelectMany(s => s).Order(StringComparer.Ordinal), all.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AddHolidayServices_UnknownFunction_NamesTheVariableAndTheChoices()
    {
        var error = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddRestate(restate => restate.AddHolidayServices("hotels")));

        Assert.Equal("HOLIDAY_SERVICE must name the service this function serves, one of trips, flights, cars, payments; got 'hotels'.", error.Message);
    }

    private static RestateEndpoint Endpoint(string? function)
    {
        var services = new ServiceCollection().AddSingleton(Dependencies);
        services.AddRestate(restate => restate.AddHolidayServices(function));
        return services.BuildServiceProvider().GetRequiredService<RestateEndpoint>();
    }
}

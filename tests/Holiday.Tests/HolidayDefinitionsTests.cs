using Holiday.Services;

namespace Holiday.Tests;

/// <summary>Each Lambda function binds exactly the services the one list says it hosts (the list the CDK registers).</summary>
public sealed class HolidayDefinitionsTests
{
    private static readonly HolidayDependencies Dependencies =
        HolidayEnvironment.CreateDependencies(HolidayFixture.AwsEnvironment(new Uri("http://127.0.0.1:1/")));

    [Fact]
    public void ForFunction_EachFunction_BindsTheServicesTheListNames()
    {
        Assert.Equal(HolidayServices.FunctionNames.Order(StringComparer.Ordinal), HolidayServices.ServicesOf.Keys.Order(StringComparer.Ordinal));
        foreach (var function in HolidayServices.FunctionNames)
        {
            var bound = HolidayDefinitions.ForFunction(function, Dependencies).Select(d => d.Name);

            Assert.Equal(HolidayServices.ServicesOf[function], bound);
        }
    }

    [Fact]
    public void All_BindsEveryServiceOnce()
    {
        var all = HolidayDefinitions.All(Dependencies).Select(d => d.Name).ToList();

        Assert.Equal(HolidayServices.ServicesOf.Values.SelectMany(s => s).Order(StringComparer.Ordinal), all.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ForFunction_UnknownFunction_NamesTheVariableAndTheChoices()
    {
        var error = Assert.Throws<ArgumentException>(() => HolidayDefinitions.ForFunction("hotels", Dependencies));

        Assert.Equal("HOLIDAY_SERVICE must name the service this function serves, one of trips, flights, cars, payments; got 'hotels'.", error.Message);
    }
}

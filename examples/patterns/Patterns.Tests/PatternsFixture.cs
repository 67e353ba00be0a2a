using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Patterns.PaymentStateMachine;
using Patterns.Sagas;
using Restate.Sdk.Testing;
using Restate.Sdk.Testing.Xunit;

namespace Patterns.Tests;

/// <summary>restate-server and the examples' services, registered as Program.cs does, started once for a test class.</summary>
public abstract class PatternsFixtureBase : RestateServicesFixture
{
    protected PatternsFixtureBase()
    {
        var options = new PatternsOptions();
        options.FailingSteps[FlightFailsTrip] = BookingStep.Flight;
        options.FailingSteps[CarFailsTrip] = BookingStep.Car;
        options.FailingSteps[PaymentFailsTrip] = BookingStep.Payment;
        Travel = new InMemoryTravelProviders(Microsoft.Extensions.Options.Options.Create(options),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<InMemoryTravelProviders>.Instance);
    }

    /// <summary>Trips whose booking fails at the flight, the car or the payment.</summary>
    public string FlightFailsTrip { get; } = NewId("flight-fails");

    /// <inheritdoc cref="FlightFailsTrip" />
    public string CarFailsTrip { get; } = NewId("car-fails");

    /// <inheritdoc cref="FlightFailsTrip" />
    public string PaymentFailsTrip { get; } = NewId("payment-fails");

    /// <summary>The travel providers the saga books with, to see what it did.</summary>
    public InMemoryTravelProviders Travel { get; }

    /// <summary>The accounts payments are drawn from, to see the balances.</summary>
    public InMemoryAccounts Accounts { get; } = new();

    /// <summary>How long a payment's state is kept in this fixture.</summary>
    protected abstract TimeSpan PaymentExpiry { get; }

    // Every await that cannot complete at once suspends the invocation, so each test also exercises replay.
    protected override RestateTestOptions Options => new() { AlwaysSuspend = true };

    public static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddPatterns();
        services.Configure<PatternsOptions>(options => options.PaymentExpiry = PaymentExpiry);
        // The last registration wins: the tests keep a handle on the systems the handlers use.
        services.AddSingleton<ITravelProviders>(Travel);
        services.AddSingleton<IAccounts>(Accounts);
    }
}

/// <summary>Payments are kept the default hour: nothing expires while a test runs.</summary>
public sealed class PatternsFixture : PatternsFixtureBase
{
    protected override TimeSpan PaymentExpiry => TimeSpan.FromHours(1);
}

/// <summary>Payments expire after a second, to watch the state go.</summary>
public sealed class ShortExpiryFixture : PatternsFixtureBase
{
    protected override TimeSpan PaymentExpiry => TimeSpan.FromSeconds(1);
}

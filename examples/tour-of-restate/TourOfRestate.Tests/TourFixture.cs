using Microsoft.Extensions.DependencyInjection;
using Restate.Sdk.Testing;
using Restate.Sdk.Testing.Xunit;
using TourOfRestate.Payments;

namespace TourOfRestate.Tests;

/// <summary>restate-server and the tour's services, registered as Program.cs does, started once for a test class.</summary>
public abstract class TourFixtureBase : RestateServicesFixture
{
    protected TourFixtureBase()
    {
        var payments = new TourOptions();
        payments.DeclinedUsers.Add(DeclinedUser);
        Payments = new InMemoryPaymentClient(Microsoft.Extensions.Options.Options.Create(payments));
    }

    /// <summary>A user whose payments the in-process provider declines.</summary>
    public string DeclinedUser { get; } = "declined-" + Guid.NewGuid().ToString("N");

    /// <summary>The payment provider the services charge, to see what was charged.</summary>
    public InMemoryPaymentClient Payments { get; }

    /// <summary>How long reservations last in this fixture.</summary>
    protected abstract TimeSpan ReservationExpiry { get; }

    // Every await that cannot complete at once suspends the invocation, so each test also exercises replay.
    protected override RestateTestOptions Options => new() { AlwaysSuspend = true };

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddTour();
        services.Configure<TourOptions>(options => options.ReservationExpiry = ReservationExpiry);
        // The last registration wins: the tests keep a handle on the provider the handlers charge.
        services.AddSingleton<IPaymentClient>(Payments);
    }
}

/// <summary>Reservations last the default 15 minutes: nothing expires while a test runs.</summary>
public sealed class TourFixture : TourFixtureBase
{
    protected override TimeSpan ReservationExpiry => TimeSpan.FromMinutes(15);
}

/// <summary>Reservations expire after a second, to watch a seat come free.</summary>
public sealed class ShortReservationFixture : TourFixtureBase
{
    protected override TimeSpan ReservationExpiry => TimeSpan.FromSeconds(1);
}

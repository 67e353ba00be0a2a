using Microsoft.Extensions.DependencyInjection;
using Restate.Sdk.Testing;
using Restate.Sdk.Testing.Xunit;
using TourOfRestate.Demo;
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

    /// <summary>How many times each addTicket fails after its reserve call in this fixture; none by default.</summary>
    protected virtual int FailuresAfterReserve => 0;

    /// <summary>The failures injected into addTicket, to see that the retries happened.</summary>
    public FailureInjector Failures => _failures ??= new FailureInjector(Microsoft.Extensions.Options.Options.Create(
        new TourOptions { FailuresAfterReserve = FailuresAfterReserve }));

    private FailureInjector? _failures;

    // Every await that cannot complete at once suspends the invocation, so each test also exercises replay.
    protected override RestateTestOptions Options => new() { AlwaysSuspend = true };

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddTour();
        services.Configure<TourOptions>(options =>
        {
            options.ReservationExpiry = ReservationExpiry;
            options.FailuresAfterReserve = FailuresAfterReserve;
        });
        // The last registration wins: the tests keep a handle on the provider the handlers charge.
        services.AddSingleton<IPaymentClient>(Payments);
        services.AddSingleton(Failures);
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

/// <summary>Every addTicket fails twice after its reserve call before it goes through, as in the Tour's retry demo.</summary>
public sealed class FailingAfterReserveFixture : TourFixtureBase
{
    protected override TimeSpan ReservationExpiry => TimeSpan.FromMinutes(15);

    protected override int FailuresAfterReserve => 2;
}

using TourOfRestate.Demo;
using TourOfRestate.Email;
using TourOfRestate.Payments;
using TourOfRestate.Services;

namespace TourOfRestate;

/// <summary>What the tour serves and what its handlers depend on, shared by <c>Program.cs</c> and the tests.</summary>
public static class TourServices
{
    /// <summary>Registers the three services, the payment and e-mail clients and <see cref="TourOptions"/> (section <c>Tour</c>).</summary>
    public static IServiceCollection AddTour(this IServiceCollection services)
    {
        services.AddOptions<TourOptions>().BindConfiguration(TourOptions.Section)
            .Validate(options => options.ReservationExpiry > TimeSpan.Zero, "Tour:ReservationExpiry must be a positive time span, such as 00:15:00.")
            .Validate(options => options.TicketPrice > 0, "Tour:TicketPrice must be a positive number of dollars.")
            .Validate(options => options.FailuresAfterReserve >= 0, "Tour:FailuresAfterReserve must be 0 or a positive count.")
            .ValidateOnStart();
        // Singletons: the in-process payment provider remembers the idempotency keys it has charged.
        services.AddSingleton<IPaymentClient, InMemoryPaymentClient>();
        services.AddSingleton<IEmailClient, LoggingEmailClient>();
        services.AddSingleton<FailureInjector>();
        return services.AddRestate(restate => restate
            .AddService<CartObject>()
            .AddService<TicketObject>()
            .AddService<CheckoutService>()).Services;
    }
}

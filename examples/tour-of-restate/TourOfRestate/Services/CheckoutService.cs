using Microsoft.Extensions.Options;
using Restate.Sdk;
using TourOfRestate.Email;
using TourOfRestate.Payments;

namespace TourOfRestate.Services;

/// <summary>Charges a cart and tells the user how it went; a plain service, since it keeps no state of its own.</summary>
[Service("CheckoutService")]
public sealed partial class CheckoutService(IPaymentClient payments, IEmailClient email, IOptions<TourOptions> options)
{
    /// <summary>Pays for the tickets once, however often the invocation is retried or replayed.</summary>
    /// <returns>Whether the payment went through.</returns>
    [Handler("handle")]
    public async Task<bool> HandleAsync(Context ctx, CheckoutRequest request)
    {
        // ctx.Random is seeded by the invocation, so a retry draws the same key and the provider charges only once.
        var idempotencyKey = ctx.Random.NewGuid().ToString();
        var amount = request.Tickets.Length * options.Value.TicketPrice;

        // Journaled: once the outcome is recorded, a retry replays it instead of calling the provider again.
        var paid = await ctx.RunAsync("pay",
            cancellation => payments.ChargeAsync(new PaymentRequest(idempotencyKey, request.UserId, amount), cancellation));

        if (paid)
        {
            await ctx.RunAsync("notify-success", cancellation => email.NotifyPaymentSucceededAsync(request.UserId, cancellation));
        }
        else
        {
            await ctx.RunAsync("notify-failure", cancellation => email.NotifyPaymentFailedAsync(request.UserId, cancellation));
        }
        return paid;
    }
}

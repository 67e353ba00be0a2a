using Restate.Sdk;

namespace Patterns.Signals;

/// <summary>
/// Pays through a provider that answers either in its response or later through a webhook, as one handler that
/// returns when the payment is decided, whichever way the answer comes.
/// </summary>
[Service("PaymentService")]
public sealed partial class PaymentService(IPaymentProvider provider)
{
    /// <summary>The code of a declined payment (HTTP 402 Payment Required at the ingress).</summary>
    public const ushort DeclinedCode = 402;

    /// <summary>Makes the payment and waits until the provider has decided it.</summary>
    /// <returns>The paid payment, and whether the response or the webhook confirmed it.</returns>
    /// <exception cref="TerminalException">402: the payment was declined; 400: no payment method, or an amount that is not positive.</exception>
    [Handler("processPayment")]
    public async Task<PaymentReceipt> ProcessPaymentAsync(Context ctx, PaymentOrder order)
    {
        if (order is null || string.IsNullOrWhiteSpace(order.PaymentMethodId) || order.Amount <= 0)
        {
            throw new TerminalException("A payment needs a paymentMethodId and a positive amount.", 400);
        }

        // The awakeable is created first, so its id can travel with the payment to the provider and come back in the
        // webhook; until someone completes it, awaiting it suspends this invocation, however long the provider takes.
        var confirmation = ctx.Awakeable<PaymentIntent>();
        // The invocation id is the provider's idempotency key: a retry of this step finds the payment made before.
        var payment = await ctx.RunAsync("create payment",
            cancellation => provider.CreatePaymentAsync(order, confirmation.Id, ctx.InvocationId, cancellation));

        switch (payment.Status)
        {
            case PaymentIntentStatus.Succeeded:
                return new PaymentReceipt(payment.Id, "response");
            case PaymentIntentStatus.Declined:
                throw new TerminalException(DeclinedMessage(payment.Id, payment.FailureReason), DeclinedCode);
            default:
                // Processing: the webhook resolves the awakeable (paid), or rejects it (declined: the await throws).
                var decided = await confirmation.Value;
                return new PaymentReceipt(decided.Id, "webhook");
        }
    }

    /// <summary>Takes the provider's webhook events and completes the awakeable of the payment they decide.</summary>
    /// <exception cref="TerminalException">400: no payment id or callback id, or a callback id that is not an awakeable id.</exception>
    [Handler("processWebhook")]
    public static Task ProcessWebhookAsync(Context ctx, PaymentWebhook webhook)
    {
        // A malformed callback id is refused by ResolveAwakeable/RejectAwakeable themselves, with a terminal 400.
        if (webhook is null || string.IsNullOrWhiteSpace(webhook.PaymentIntentId) || string.IsNullOrWhiteSpace(webhook.CallbackId))
        {
            throw new TerminalException("A webhook event needs a paymentIntentId and a callbackId.", 400);
        }
        switch (webhook.Type)
        {
            case PaymentWebhook.Succeeded:
                ctx.ResolveAwakeable(webhook.CallbackId, new PaymentIntent(webhook.PaymentIntentId, PaymentIntentStatus.Succeeded));
                break;
            case PaymentWebhook.Failed:
                ctx.RejectAwakeable(webhook.CallbackId, DeclinedMessage(webhook.PaymentIntentId, webhook.FailureReason), DeclinedCode);
                break;
            default:
                // Providers send many event types; the ones that decide nothing are acknowledged and dropped.
                break;
        }
        return Task.CompletedTask;
    }

    private static string DeclinedMessage(string paymentIntentId, string? reason) =>
        $"Payment {paymentIntentId} was declined: {reason ?? "no reason given"}";
}

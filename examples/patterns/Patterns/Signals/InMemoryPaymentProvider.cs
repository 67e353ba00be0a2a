using System.Collections.Concurrent;
using System.Text.Json;

namespace Patterns.Signals;

/// <summary>
/// A provider in this process: <c>pm_card_visa_chargeDeclined</c> is declined, other methods are paid. Payments with a
/// delayed status answer <see cref="PaymentIntentStatus.Processing"/>, and the webhook event the provider would post is
/// logged and handed to whoever delivers it (<see cref="WebhookForAsync"/>; the tests, or you with curl).
/// </summary>
public sealed partial class InMemoryPaymentProvider(ILogger<InMemoryPaymentProvider> logger) : IPaymentProvider
{
    /// <summary>The payment method the provider declines.</summary>
    public const string DeclinedMethod = "pm_card_visa_chargeDeclined";

    private readonly ConcurrentDictionary<string, PaymentIntent> _payments = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<PaymentWebhook>> _webhooks = new();

    /// <summary>Completes with the webhook event for the payment created with <paramref name="idempotencyKey"/>, once there is one.</summary>
    public Task<PaymentWebhook> WebhookForAsync(string idempotencyKey) => Webhook(idempotencyKey).Task;

    /// <inheritdoc />
    public Task<PaymentIntent> CreatePaymentAsync(PaymentOrder order, string callbackId, string idempotencyKey, CancellationToken cancellationToken) =>
        Task.FromResult(_payments.GetOrAdd(idempotencyKey, _ => Create(order, callbackId, idempotencyKey)));

    private PaymentIntent Create(PaymentOrder order, string callbackId, string idempotencyKey)
    {
        var id = $"pi_{Guid.NewGuid():N}";
        var declined = order.PaymentMethodId == DeclinedMethod;
        var reason = declined ? "Your card was declined." : null;
        if (!order.DelayedStatus)
        {
            return new PaymentIntent(id, declined ? PaymentIntentStatus.Declined : PaymentIntentStatus.Succeeded, reason);
        }
        var webhook = new PaymentWebhook(declined ? PaymentWebhook.Failed : PaymentWebhook.Succeeded, id, callbackId, reason);
        Webhook(idempotencyKey).TrySetResult(webhook);
        // The event as the provider would post it, for whoever delivers it by hand.
        var json = JsonSerializer.Serialize(webhook, PatternsJson.Default.PaymentWebhook);
        LogWebhook(id, json);
        return new PaymentIntent(id, PaymentIntentStatus.Processing);
    }

    private TaskCompletionSource<PaymentWebhook> Webhook(string idempotencyKey) =>
        _webhooks.GetOrAdd(idempotencyKey, _ => new TaskCompletionSource<PaymentWebhook>(TaskCreationOptions.RunContinuationsAsynchronously));

    [LoggerMessage(Level = LogLevel.Information, Message = "Payment {PaymentIntentId} is processing; its webhook event: {Webhook}")]
    private partial void LogWebhook(string paymentIntentId, string webhook);
}

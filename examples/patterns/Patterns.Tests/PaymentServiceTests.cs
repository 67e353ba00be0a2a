using Patterns.Signals;
using Restate.Sdk;

namespace Patterns.Tests;

public sealed class PaymentServiceTests(ShortTimingsFixture restate) : IClassFixture<ShortTimingsFixture>
{
    private static readonly Serde<PaymentReceipt> ReceiptSerde = Serde.Json(PatternsJson.Default.PaymentReceipt);

    [Fact]
    public async Task ProcessPayment_ProviderAnswersAtOnce_IsConfirmedByTheResponse()
    {
        var receipt = await restate.Client.ServiceClient<PaymentServiceIngressClient>().ProcessPaymentAsync(new PaymentOrder("pm_card_visa", 109));

        Assert.StartsWith("pi_", receipt.PaymentIntentId, StringComparison.Ordinal);
        Assert.Equal("response", receipt.ConfirmedBy);
    }

    [Fact]
    public async Task ProcessPayment_ProviderAnswersLater_WaitsForTheWebhookAndIsConfirmedByIt()
    {
        var payments = restate.Client.ServiceClient<PaymentServiceIngressClient>();

        var sent = await payments.Send().ProcessPaymentAsync(new PaymentOrder("pm_card_visa", 109, DelayedStatus: true));
        var webhook = await restate.PaymentProvider.WebhookForAsync(sent.InvocationId).WaitAsync(TimeSpan.FromSeconds(30));
        var beforeTheWebhook = await restate.Client.GetOutputAsync(sent.InvocationId, ReceiptSerde);
        // The provider's webhook call, through the ingress as it would come from the internet.
        await payments.ProcessWebhookAsync(webhook);
        var receipt = await restate.Client.AttachAsync(sent.InvocationId, ReceiptSerde);

        Assert.Equal(PaymentWebhook.Succeeded, webhook.Type);
        Assert.False(beforeTheWebhook.IsReady);
        Assert.Equal(new PaymentReceipt(webhook.PaymentIntentId, "webhook"), receipt);
    }

    [Fact]
    public async Task ProcessPayment_DeclinedThroughTheWebhook_FailsWith402AndTheProvidersReason()
    {
        var payments = restate.Client.ServiceClient<PaymentServiceIngressClient>();

        var sent = await payments.Send().ProcessPaymentAsync(new PaymentOrder(InMemoryPaymentProvider.DeclinedMethod, 109, DelayedStatus: true));
        var webhook = await restate.PaymentProvider.WebhookForAsync(sent.InvocationId).WaitAsync(TimeSpan.FromSeconds(30));
        await payments.ProcessWebhookAsync(webhook);
        var failure = await Assert.ThrowsAsync<TerminalException>(() => restate.Client.AttachAsync(sent.InvocationId, ReceiptSerde));

        Assert.Equal(PaymentWebhook.Failed, webhook.Type);
        Assert.Equal((402, $"Payment {webhook.PaymentIntentId} was declined: Your card was declined."), (failure.Code, failure.Message));
    }

    [Fact]
    public async Task ProcessPayment_DeclinedAtOnce_FailsWith402()
    {
        var failure = await Assert.ThrowsAsync<TerminalException>(() =>
            restate.Client.ServiceClient<PaymentServiceIngressClient>().ProcessPaymentAsync(new PaymentOrder(InMemoryPaymentProvider.DeclinedMethod, 109)));

        Assert.Equal(402, failure.Code);
        Assert.EndsWith("was declined: Your card was declined.", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProcessWebhook_CallbackIdThatIsNoAwakeable_FailsWith400()
    {
        var failure = await Assert.ThrowsAsync<TerminalException>(() =>
            restate.Client.ServiceClient<PaymentServiceIngressClient>().ProcessWebhookAsync(new PaymentWebhook(PaymentWebhook.Succeeded, "pi_1", "not-an-awakeable")));

        Assert.Equal((400, "'not-an-awakeable' is not an awakeable id"), (failure.Code, failure.Message.Split(':')[0]));
    }

    [Fact]
    public async Task ProcessPayment_WebhookNeverComes_WaitsUntilCancelledThroughTheAdminApiAndFailsWith409()
    {
        var sent = await restate.Client.ServiceClient<PaymentServiceIngressClient>().Send()
            .ProcessPaymentAsync(new PaymentOrder("pm_card_visa", 109, DelayedStatus: true));
        await restate.PaymentProvider.WebhookForAsync(sent.InvocationId).WaitAsync(TimeSpan.FromSeconds(30));

        // What `restate invocations cancel <id>` does: the awaiting handler gets the cancellation as a terminal error.
        using var cancel = await restate.Environment.Server.Admin.PatchAsync($"invocations/{sent.InvocationId}/cancel", content: null);
        var failure = await Assert.ThrowsAsync<TerminalException>(() => restate.Client.AttachAsync(sent.InvocationId, ReceiptSerde));

        Assert.True(cancel.IsSuccessStatusCode, $"cancel answered {(int)cancel.StatusCode}");
        Assert.Equal(409, failure.Code);
    }
}

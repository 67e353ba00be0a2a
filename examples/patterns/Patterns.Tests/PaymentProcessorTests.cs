using Patterns.PaymentStateMachine;
using Restate.Sdk;

namespace Patterns.Tests;

public sealed class PaymentProcessorTests(PatternsFixture restate) : IClassFixture<PatternsFixture>
{
    [Fact]
    public async Task MakePayment_ThenCancel_RefundsAndMarksCancelled()
    {
        var (paymentId, account) = (PatternsFixtureBase.NewId("payment"), PatternsFixtureBase.NewId("account"));
        var payment = restate.Client.ObjectClient<PaymentProcessorIngressClient>(paymentId);

        var paid = await payment.MakePaymentAsync(new PaymentRequest(account, 100));
        var balanceAfterPaying = restate.Accounts.BalanceOf(account);
        await payment.CancelPaymentAsync();

        Assert.True(paid.Success);
        Assert.Equal((-100L, 0L), (balanceAfterPaying, restate.Accounts.BalanceOf(account)));
        Assert.Equal(PaymentStatus.Cancelled, await restate.GetStateAsync("PaymentProcessor", paymentId, PaymentProcessor.Status));
        Assert.Equal(new PaymentRequest(account, 100), await restate.GetStateAsync("PaymentProcessor", paymentId, PaymentProcessor.Payment));
    }

    [Fact]
    public async Task MakePayment_AfterCancel_IsRefusedAndChargesNothing()
    {
        var (paymentId, account) = (PatternsFixtureBase.NewId("payment"), PatternsFixtureBase.NewId("account"));
        var payment = restate.Client.ObjectClient<PaymentProcessorIngressClient>(paymentId);

        await payment.CancelPaymentAsync();
        var paid = await payment.MakePaymentAsync(new PaymentRequest(account, 100));

        Assert.Equal(new PaymentResult(false, "Payment already cancelled"), paid);
        Assert.Equal(0, restate.Accounts.BalanceOf(account));
        Assert.Equal(PaymentStatus.Cancelled, await restate.GetStateAsync("PaymentProcessor", paymentId, PaymentProcessor.Status));
    }

    [Fact]
    public async Task MakePayment_Twice_ChargesOnce()
    {
        var (paymentId, account) = (PatternsFixtureBase.NewId("payment"), PatternsFixtureBase.NewId("account"));
        var payment = restate.Client.ObjectClient<PaymentProcessorIngressClient>(paymentId);

        var first = await payment.MakePaymentAsync(new PaymentRequest(account, 100));
        var second = await payment.MakePaymentAsync(new PaymentRequest(account, 100));

        Assert.Equal((true, false), (first.Success, second.Success));
        Assert.Equal(-100, restate.Accounts.BalanceOf(account));
        Assert.Equal(PaymentStatus.Completed, await restate.GetStateAsync("PaymentProcessor", paymentId, PaymentProcessor.Status));
    }

    [Fact]
    public async Task MakePaymentAndCancel_SentTogether_EndCancelledWithNothingChargedWhicheverRunsFirst()
    {
        var (paymentId, account) = (PatternsFixtureBase.NewId("payment"), PatternsFixtureBase.NewId("account"));
        var payment = restate.Client.ObjectClient<PaymentProcessorIngressClient>(paymentId);

        // Sent without waiting, as a retried request and a cancellation may race: the object runs one, then the other.
        var pay = await payment.Send().MakePaymentAsync(new PaymentRequest(account, 100));
        var cancel = await payment.Send().CancelPaymentAsync();
        var paid = await restate.Client.AttachAsync(pay.InvocationId, Serde.Json(PatternsJson.Default.PaymentResult));
        await restate.Client.AttachAsync(cancel.InvocationId, Serde.Bytes);

        // Paid first: charged, then refunded. Cancelled first: the pay was refused and charged nothing.
        Assert.Contains(paid, new[] { new PaymentResult(true, "Payment processed"), new PaymentResult(false, "Payment already cancelled") });

        Assert.Equal(0, restate.Accounts.BalanceOf(account));
        Assert.Equal(PaymentStatus.Cancelled, await restate.GetStateAsync("PaymentProcessor", paymentId, PaymentProcessor.Status));
    }
}

using System.Diagnostics;
using Patterns.PaymentStateMachine;

namespace Patterns.Tests;

public sealed class PaymentExpiryTests(ShortExpiryFixture restate) : IClassFixture<ShortExpiryFixture>
{
    [Fact]
    public async Task CancelPayment_ExpiryPassed_ForgetsThePaymentSoItCanBeMadeAgain()
    {
        var (paymentId, account) = (PatternsFixtureBase.NewId("payment"), PatternsFixtureBase.NewId("account"));
        var payment = restate.Client.ObjectClient<PaymentProcessorIngressClient>(paymentId);
        await payment.CancelPaymentAsync();

        // The delayed expire runs on restate-server's timer: wait for its effect on the state, not for a fixed time.
        await UntilAsync(async () => await restate.GetStateAsync("PaymentProcessor", paymentId, PaymentProcessor.Status) == PaymentStatus.New);

        Assert.True((await payment.MakePaymentAsync(new PaymentRequest(account, 100))).Success);
        Assert.Equal(-100, restate.Accounts.BalanceOf(account));
    }

    private static async Task UntilAsync(Func<Task<bool>> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(15), "the payment did not expire within 15 s");
            await Task.Delay(100);
        }
    }
}

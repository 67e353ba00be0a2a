using Microsoft.Extensions.Options;
using Restate.Sdk;

namespace Patterns.PaymentStateMachine;

/// <summary>
/// One payment, keyed by the caller's payment id (an idempotency token, Stripe-style): it is charged at most once,
/// can be cancelled before or after it is paid, and is forgotten after <see cref="PatternsOptions.PaymentExpiry"/>.
/// </summary>
// A virtual object runs one exclusive handler per key at a time: a pay and a cancel of one payment never interleave,
// so whichever comes first decides, without locks.
[VirtualObject("PaymentProcessor")]
public sealed partial class PaymentProcessor(IAccounts accounts, IOptions<PatternsOptions> options)
{
    /// <summary>The payment as first made; kept so a cancel knows what to refund.</summary>
    public static readonly StateKey<PaymentRequest> Payment = new("payment");

    /// <summary>The payment's status; absent means <see cref="PaymentStatus.New"/>.</summary>
    public static readonly StateKey<PaymentStatus> Status = new("status");

    /// <summary>Charges the account, unless this payment was paid or cancelled before.</summary>
    [Handler("makePayment")]
    public async Task<PaymentResult> MakePaymentAsync(ObjectContext ctx, PaymentRequest request)
    {
        switch (await ctx.GetAsync(Status))
        {
            case PaymentStatus.Cancelled:
                return new PaymentResult(false, "Payment already cancelled");
            case PaymentStatus.Completed:
                return new PaymentResult(false, "Payment already completed in a prior call");
        }

        await ctx.RunAsync("withdraw", cancellation => accounts.WithdrawAsync(request.AccountId, request.AmountCents, cancellation));
        ctx.Set(Payment, request);
        ctx.Set(Status, PaymentStatus.Completed);
        ExpireLater(ctx);
        return new PaymentResult(true, "Payment processed");
    }

    /// <summary>Cancels the payment: refunds it if it was paid, and makes a later <c>makePayment</c> a no-op.</summary>
    [Handler("cancelPayment")]
    public async Task CancelPaymentAsync(ObjectContext ctx)
    {
        var status = await ctx.GetAsync(Status);
        if (status == PaymentStatus.Cancelled)
        {
            return;
        }
        if (status == PaymentStatus.Completed && await ctx.GetAsync(Payment) is { } paid)
        {
            await ctx.RunAsync("refund", cancellation => accounts.DepositAsync(paid.AccountId, paid.AmountCents, cancellation));
        }
        ctx.Set(Status, PaymentStatus.Cancelled);
        ExpireLater(ctx);
    }

    /// <summary>Forgets the payment; a later call with the same id starts afresh.</summary>
    [Handler("expire")]
    public static Task ExpireAsync(ObjectContext ctx)
    {
        ctx.ClearAll();
        return Task.CompletedTask;
    }

    // A delayed send to itself: restate-server keeps the timer, so the state expires even if the app restarts meanwhile.
    private void ExpireLater(ObjectContext ctx) =>
        ctx.ObjectClient<PaymentProcessorClient>(ctx.Key).Send(new SendOptions { Delay = options.Value.PaymentExpiry }).Expire();
}

using Holiday.Data;
using Holiday.Domain;
using Restate.Sdk;

namespace Holiday.Services;

/// <summary>The payments of a trip, keyed by trip id: charges and refunds.</summary>
// Ingress-private: only the saga calls it; a caller on the ingress cannot book, charge or refund on its own.
[VirtualObject(HolidayServices.Payments, IngressPrivate = true)]
public sealed partial class PaymentsObject(IPaymentStore store)
{
    /// <summary>Charges the payment whose id the saga drew; run_type failPayment fails it before charging.</summary>
    [Handler("process")]
    public async Task<Payment> ProcessAsync(ObjectContext ctx, PaymentRequest request)
    {
        var paymentId = RequiredId.Of(request.PaymentId, "payment_id");
        if (request.RunType == RunType.FailPayment)
        {
            throw new TerminalException("Failed to process payment");
        }
        var tripId = ctx.Key;
        await ctx.RunAsync("charge", cancellation => store.ChargeAsync(tripId, paymentId, cancellation));
        return new Payment(paymentId);
    }

    /// <summary>Refunds a payment; a payment that was never charged stays uncharged.</summary>
    [Handler("refund")]
    public async Task<Payment> RefundAsync(ObjectContext ctx, Payment payment)
    {
        var paymentId = RequiredId.Of(payment.PaymentId, "payment_id");
        var tripId = ctx.Key;
        // A refund of a payment that was never charged writes nothing.
        await ctx.RunAsync("refund", cancellation => store.RefundAsync(tripId, paymentId, cancellation));
        return payment;
    }
}

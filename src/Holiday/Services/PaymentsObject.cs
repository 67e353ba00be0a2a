using Holiday.Data;
using Holiday.Domain;
using Restate.Sdk;
using Restate.Sdk.Definitions;

namespace Holiday.Services;

/// <summary><c>payments</c>: a virtual object keyed by trip id that charges and refunds.</summary>
public static class PaymentsObject
{
    public static ServiceDefinition Definition(IPaymentStore store) => ServiceDefinition.ForVirtualObject(HolidayServices.Payments)
        .Handler("process", async (ObjectContext ctx, PaymentRequest request) =>
        {
            var paymentId = BookingObject.RequireId(request.PaymentId, "payment_id");
            if (request.RunType == RunTypes.ToName(RunType.FailPayment))
            {
                throw new TerminalException("Failed to process payment");
            }
            var tripId = ctx.Key;
            await ctx.RunAsync("charge", cancellation => store.ChargeAsync(tripId, paymentId, cancellation));
            return new Payment(paymentId);
        }, HolidaySerdes.PaymentRequest, HolidaySerdes.Payment)
        .Handler("refund", async (ObjectContext ctx, Payment payment) =>
        {
            var paymentId = BookingObject.RequireId(payment.PaymentId, "payment_id");
            var tripId = ctx.Key;
            // A refund of a payment that was never charged writes nothing.
            await ctx.RunAsync("refund", cancellation => store.RefundAsync(tripId, paymentId, cancellation), Serde.Boolean);
            return payment;
        }, HolidaySerdes.Payment, HolidaySerdes.Payment)
        .Build();
}

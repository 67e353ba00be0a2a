using Holiday.Data;
using Holiday.Domain;
using Microsoft.Extensions.Logging;
using Restate.Sdk;

namespace Holiday.Services;

/// <summary>
/// The saga, once per trip id (a virtual object keyed by trip id, so concurrent reserves of one trip take turns and
/// the later ones answer the stored outcome). Each step registers its compensation; on a terminal failure the
/// compensations run in reverse order, then the failure is recorded and notified.
/// </summary>
// Ingress-private: only trips calls it, so a trip is always booked through trips/reserve and its validation.
[VirtualObject(HolidayServices.TripSaga, IngressPrivate = true)]
public sealed partial class TripSagaObject(ITripStore trips, INotifier notifier)
{
    public const string SuccessMessage = "Your Travel Reservation is Successful";
    public const string FailureMessage = "Your Travel Reservation Failed";

    // Serialized through HolidayJson, the assembly's [RestateSerializer] context, which the generated definition registers.
    private static readonly StateKey<TripOutcome> Outcome = new("outcome");

    /// <summary>Books the trip once and answers its outcome, then and on every later call; only <c>trips</c> calls it.</summary>
    /// <remarks>An empty body books without a run_type, as a <c>{}</c> does.</remarks>
    [Handler("book")]
    public async Task<TripResult> BookAsync(ObjectContext ctx, TripBooking? booking)
    {
        var outcome = await ctx.GetAsync(Outcome);
        if (outcome is null)
        {
            outcome = await RunSagaAsync(ctx, booking?.RunType);
            ctx.Set(Outcome, outcome);
        }
        else
        {
            Log.AlreadyDecided(ctx.Logger, ctx.Key, outcome.Booked);
        }
        return outcome.Booked
            ? new TripResult("success", outcome.TripId)
            : throw new TerminalException(outcome.Message, 500);
    }

    private async Task<TripOutcome> RunSagaAsync(ObjectContext ctx, RunType? runType)
    {
        var tripId = ctx.Key;
        var flights = ctx.ObjectClient<FlightsObjectClient>(tripId);
        var cars = ctx.ObjectClient<CarsObjectClient>(tripId);
        var payments = ctx.ObjectClient<PaymentsObjectClient>(tripId);
        // A compensation starts its call only when it runs.
        var compensations = new Stack<Func<DurableFuture>>();
        // What the saga has got so far; the outcome names it, also when the trip fails halfway.
        Booking? flight = null, car = null;
        Payment? payment = null;
        // ctx.Logger is silent while the journal replays: each line appears once per trip, however often it resumes.
        var runTypeName = runType?.WireName() ?? "none";
        Log.Booking(ctx.Logger, tripId, runTypeName);
        try
        {
            flight = await flights.ReserveAsync(BookingRequest.ForTrip(tripId, runType));
            compensations.Push(() => flights.CancelAsync(new BookingAction(flight.BookingId)));

            car = await cars.ReserveAsync(BookingRequest.ForTrip(tripId, runType));
            compensations.Push(() => cars.CancelAsync(new BookingAction(car.BookingId)));

            // The refund is registered before charging: a charge may have happened even if the call failed, and a
            // refund of a payment that never happened is a no-op.
            payment = new Payment(ctx.Random.NewGuid().ToString());
            compensations.Push(() => payments.RefundAsync(payment));
            await payments.ProcessAsync(new PaymentRequest(payment.PaymentId, runType));

            await flights.ConfirmAsync(new BookingAction(flight.BookingId, runType));
            await cars.ConfirmAsync(new BookingAction(car.BookingId, runType));

            var booked = new TripOutcome(tripId, true, SuccessMessage, flight.BookingId, car.BookingId, payment.PaymentId);
            await ctx.RunAsync("notify success", async cancellation =>
            {
                if (runType == RunType.FailNotification)
                {
                    throw new TerminalException("Failed to send notification");
                }
                await trips.RecordAsync(booked, cancellation);
                await notifier.PublishAsync(tripId, SuccessMessage, cancellation);
            });
            Log.Booked(ctx.Logger, tripId, flight.BookingId, car.BookingId, payment.PaymentId);
            return booked;
        }
        catch (TerminalException failure)
        {
            // A compensation that fails ends the saga here (its error escapes), so once the loop is through, all were applied.
            var applied = compensations.Count;
            Log.Compensating(ctx.Logger, tripId, failure.Message, applied);
            while (compensations.TryPop(out var compensate))
            {
                await compensate();
            }
            var failed = new TripOutcome(tripId, false,
                $"Travel reservation failed with err 'TerminalError: {failure.Message}'; successfully applied {applied} compensations",
                flight?.BookingId, car?.BookingId, payment?.PaymentId);
            await ctx.RunAsync("notify failure", async cancellation =>
            {
                await trips.RecordAsync(failed, cancellation);
                await notifier.PublishAsync(tripId, FailureMessage, cancellation);
            });
            Log.Compensated(ctx.Logger, tripId, applied);
            return failed;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Booking trip {TripId} (run_type {RunType})")]
        public static partial void Booking(ILogger logger, string tripId, string runType);

        [LoggerMessage(Level = LogLevel.Information, Message = "Trip {TripId} booked: flight {FlightId}, car {CarId}, payment {PaymentId}")]
        public static partial void Booked(ILogger logger, string tripId, string flightId, string carId, string paymentId);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Trip {TripId} failed ({Reason}); undoing {Steps} steps")]
        public static partial void Compensating(ILogger logger, string tripId, string reason, int steps);

        [LoggerMessage(Level = LogLevel.Information, Message = "Trip {TripId} not booked; {Applied} compensations applied")]
        public static partial void Compensated(ILogger logger, string tripId, int applied);

        [LoggerMessage(Level = LogLevel.Information, Message = "Trip {TripId} was decided before (booked: {Booked}); answering that outcome")]
        public static partial void AlreadyDecided(ILogger logger, string tripId, bool booked);
    }
}

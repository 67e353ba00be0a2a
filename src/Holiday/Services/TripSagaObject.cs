using Holiday.Data;
using Holiday.Domain;
using Microsoft.Extensions.Logging;
using Restate.Sdk;
using Restate.Sdk.Definitions;

namespace Holiday.Services;

/// <summary>
/// The saga, once per trip id (a virtual object keyed by trip id, so concurrent reserves of one trip take turns and
/// the later ones answer the stored outcome). Each step registers its compensation; on a terminal failure the
/// compensations run in reverse order, then the failure is recorded and notified.
/// </summary>
public static partial class TripSagaObject
{
    public const string SuccessMessage = "Your Travel Reservation is Successful";
    public const string FailureMessage = "Your Travel Reservation Failed";

    private static readonly StateKey<TripOutcome> Outcome = new("outcome", HolidaySerdes.TripOutcome);

    public static ServiceDefinition Definition(ITripStore trips, INotifier notifier) =>
        ServiceDefinition.ForVirtualObject(HolidayServices.TripSaga)
            .Handler("book", async (ObjectContext ctx, TripBooking booking) =>
            {
                var outcome = await ctx.GetAsync(Outcome);
                if (outcome is null)
                {
                    outcome = await RunSagaAsync(ctx, booking.RunType, trips, notifier);
                    ctx.Set(Outcome, outcome);
                }
                else
                {
                    Log.AlreadyDecided(ctx.Logger, ctx.Key, outcome.Booked);
                }
                return outcome.Booked
                    ? new TripResult("success", outcome.TripId)
                    : throw new TerminalException(outcome.Message, 500);
            }, HolidaySerdes.TripBooking, HolidaySerdes.TripResult, new HandlerOptions { IngressPrivate = true })
            .Build();

    private static async Task<TripOutcome> RunSagaAsync(ObjectContext ctx, string? runType, ITripStore trips, INotifier notifier)
    {
        var tripId = ctx.Key;
        var compensations = new Stack<Func<Task>>();
        string? flightId = null, carId = null, paymentId = null;
        // ctx.Logger is silent while the journal replays: each line appears once per trip, however often it resumes.
        Log.Booking(ctx.Logger, tripId, runType ?? "none");
        try
        {
            var flight = await Call(ctx, HolidayServices.Flights, "reserve", BookingRequest.ForTrip(tripId, runType),
                HolidaySerdes.BookingRequest, HolidaySerdes.Booking);
            flightId = flight.BookingId;
            compensations.Push(() => Call(ctx, HolidayServices.Flights, "cancel", new BookingAction(flight.BookingId)));

            var car = await Call(ctx, HolidayServices.Cars, "reserve", BookingRequest.ForTrip(tripId, runType),
                HolidaySerdes.BookingRequest, HolidaySerdes.Booking);
            carId = car.BookingId;
            compensations.Push(() => Call(ctx, HolidayServices.Cars, "cancel", new BookingAction(car.BookingId)));

            // The refund is registered before charging: a charge may have happened even if the call failed, and a
            // refund of a payment that never happened is a no-op.
            var payment = new Payment(ctx.Random.NewGuid().ToString());
            paymentId = payment.PaymentId;
            compensations.Push(() => Call(ctx, HolidayServices.Payments, "refund", payment, HolidaySerdes.Payment, HolidaySerdes.Payment));
            await Call(ctx, HolidayServices.Payments, "process", new PaymentRequest(payment.PaymentId, runType),
                HolidaySerdes.PaymentRequest, HolidaySerdes.Payment);

            await Call(ctx, HolidayServices.Flights, "confirm", new BookingAction(flight.BookingId, runType));
            await Call(ctx, HolidayServices.Cars, "confirm", new BookingAction(car.BookingId, runType));

            var booked = new TripOutcome(tripId, true, SuccessMessage, flightId, carId, paymentId);
            await ctx.RunAsync("notify success", async cancellation =>
            {
                if (runType == RunTypes.ToName(RunType.FailNotification))
                {
                    throw new TerminalException("Failed to send notification");
                }
                await trips.RecordAsync(booked, cancellation);
                await notifier.PublishAsync(tripId, SuccessMessage, cancellation);
            });
            Log.Booked(ctx.Logger, tripId, flightId, carId, paymentId);
            return booked;
        }
        catch (TerminalException failure)
        {
            Log.Compensating(ctx.Logger, tripId, failure.Message, compensations.Count);
            var applied = 0;
            while (compensations.TryPop(out var compensate))
            {
                await compensate();
                applied++;
            }
            var failed = new TripOutcome(tripId, false,
                $"Travel reservation failed with err 'TerminalError: {failure.Message}'; successfully applied {applied} compensations",
                flightId, carId, paymentId);
            await ctx.RunAsync("notify failure", async cancellation =>
            {
                await trips.RecordAsync(failed, cancellation);
                await notifier.PublishAsync(tripId, FailureMessage, cancellation);
            });
            Log.Compensated(ctx.Logger, tripId, applied);
            return failed;
        }
    }

    private static async Task<TRes> Call<TReq, TRes>(ObjectContext ctx, string service, string handler, TReq request,
        Serde<TReq> requestSerde, Serde<TRes> responseSerde) =>
        await ctx.CallAsync(Target.ForObject(service, ctx.Key, handler), request, requestSerde, responseSerde);

    private static async Task Call(ObjectContext ctx, string service, string handler, BookingAction action) =>
        await Call(ctx, service, handler, action, HolidaySerdes.BookingAction, HolidaySerdes.Booking);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Booking trip {TripId} (run_type {RunType})")]
        public static partial void Booking(ILogger logger, string tripId, string runType);

        [LoggerMessage(Level = LogLevel.Information, Message = "Trip {TripId} booked: flight {FlightId}, car {CarId}, payment {PaymentId}")]
        public static partial void Booked(ILogger logger, string tripId, string? flightId, string? carId, string? paymentId);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Trip {TripId} failed ({Reason}); undoing {Steps} steps")]
        public static partial void Compensating(ILogger logger, string tripId, string reason, int steps);

        [LoggerMessage(Level = LogLevel.Information, Message = "Trip {TripId} not booked; {Applied} compensations applied")]
        public static partial void Compensated(ILogger logger, string tripId, int applied);

        [LoggerMessage(Level = LogLevel.Information, Message = "Trip {TripId} was decided before (booked: {Booked}); answering that outcome")]
        public static partial void AlreadyDecided(ILogger logger, string tripId, bool booked);
    }
}

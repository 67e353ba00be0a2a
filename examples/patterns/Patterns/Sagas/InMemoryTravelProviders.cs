using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Restate.Sdk;

namespace Patterns.Sagas;

/// <summary>
/// The providers in this process, standing in for real ones: each trip's history is kept to see what happened, and
/// the trips listed in <see cref="PatternsOptions.FailingSteps"/> fail terminally at their step. A failing flight or
/// car leaves nothing behind; a failing payment has charged the card before its answer fails, as a timed-out call to
/// a real provider may have.
/// </summary>
public sealed partial class InMemoryTravelProviders(IOptions<PatternsOptions> options, ILogger<InMemoryTravelProviders> logger) : ITravelProviders
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _histories = new();
    private readonly ConcurrentDictionary<string, bool> _charged = new();

    /// <summary>What the providers did for the trip, in order (<c>flight reserved</c>, <c>payment refunded</c>, …).</summary>
    public IReadOnlyList<string> HistoryOf(string tripId) => _histories.TryGetValue(tripId, out var history) ? [.. history] : [];

    /// <inheritdoc />
    public Task<string> ReserveFlightAsync(string tripId, string flightId, string passengerName, CancellationToken cancellationToken)
    {
        FailIfAsked(tripId, BookingStep.Flight, "Failed to reserve the flight");
        Record(tripId, "flight reserved");
        return Task.FromResult($"flight-{Guid.NewGuid():N}");
    }

    /// <inheritdoc />
    public Task ConfirmFlightAsync(string tripId, string reservationId, CancellationToken cancellationToken) =>
        Record(tripId, "flight confirmed");

    /// <inheritdoc />
    public Task CancelFlightAsync(string tripId, string reservationId, CancellationToken cancellationToken) =>
        Record(tripId, "flight cancelled");

    /// <inheritdoc />
    public Task<string> ReserveCarAsync(string tripId, string pickupLocation, string rentalDate, CancellationToken cancellationToken)
    {
        FailIfAsked(tripId, BookingStep.Car, "Failed to reserve the car");
        Record(tripId, "car reserved");
        return Task.FromResult($"car-{Guid.NewGuid():N}");
    }

    /// <inheritdoc />
    public Task ConfirmCarAsync(string tripId, string reservationId, CancellationToken cancellationToken) =>
        Record(tripId, "car confirmed");

    /// <inheritdoc />
    public Task CancelCarAsync(string tripId, string reservationId, CancellationToken cancellationToken) =>
        Record(tripId, "car cancelled");

    /// <inheritdoc />
    public Task ChargeAsync(string tripId, string paymentId, string cardNumber, decimal amount, CancellationToken cancellationToken)
    {
        if (_charged.TryAdd(paymentId, true))
        {
            Record(tripId, "payment charged");
        }
        FailIfAsked(tripId, BookingStep.Payment, "The payment could not be confirmed");
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RefundAsync(string tripId, string paymentId, CancellationToken cancellationToken) =>
        // The payment id tells whether there is anything to refund, so the refund is safe whatever the charge did.
        _charged.TryUpdate(paymentId, false, true) ? Record(tripId, "payment refunded") : Task.CompletedTask;

    private void FailIfAsked(string tripId, BookingStep step, string message)
    {
        if (options.Value.FailingSteps.TryGetValue(tripId, out var failing) && failing == step)
        {
            throw new TerminalException(message);
        }
    }

    private Task Record(string tripId, string what)
    {
        _histories.GetOrAdd(tripId, _ => new ConcurrentQueue<string>()).Enqueue(what);
        LogStep(tripId, what);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Trip {TripId}: {What}")]
    private partial void LogStep(string tripId, string what);
}

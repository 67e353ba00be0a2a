using Holiday.Domain;

namespace Holiday.Data;

/// <summary>Status values stored in <c>transaction_status</c>. Records change status; nothing is deleted.</summary>
public static class TransactionStatus
{
    public const string Pending = "pending";
    public const string Confirmed = "confirmed";
    public const string Cancelled = "cancelled";
    public const string Charged = "charged";
    public const string Refunded = "refunded";
}

/// <summary>A flight or car booking as stored: its ids and the trip details it books.</summary>
public sealed record BookingRecord(string TripId, string BookingId, IReadOnlyDictionary<string, string> Details);

/// <summary>Flight or car bookings of trips. Every write is idempotent, so a retried step never books twice.</summary>
public interface IBookingStore
{
    /// <summary>Stores a pending booking; a repeat with the same ids leaves the first write in place.</summary>
    Task ReserveAsync(BookingRecord booking, CancellationToken cancellationToken);

    /// <summary>Sets the status of an existing booking; false when the trip has no such booking.</summary>
    Task<bool> SetStatusAsync(string tripId, string bookingId, string status, CancellationToken cancellationToken);
}

/// <summary>Payments of trips; charge and refund are idempotent.</summary>
public interface IPaymentStore
{
    /// <summary>Records a charged payment; a repeat with the same ids leaves the first write in place.</summary>
    Task ChargeAsync(string tripId, string paymentId, CancellationToken cancellationToken);

    /// <summary>Marks a payment refunded; false (and nothing written) when it was never charged.</summary>
    Task<bool> RefundAsync(string tripId, string paymentId, CancellationToken cancellationToken);
}

/// <summary>The outcome of each trip, for the record and for support.</summary>
public interface ITripStore
{
    /// <summary>Stores (or overwrites with the same content) the trip's outcome.</summary>
    Task RecordAsync(TripOutcome outcome, CancellationToken cancellationToken);
}

/// <summary>Tells the traveller how the reservation went.</summary>
public interface INotifier
{
    /// <summary>Publishes <paramref name="message"/> about <paramref name="tripId"/>.</summary>
    Task PublishAsync(string tripId, string message, CancellationToken cancellationToken);
}

/// <summary>The notifier when no queue is configured: the Trips table alone records the outcome.</summary>
public sealed class NoNotifier : INotifier
{
    public static NoNotifier Instance { get; } = new();

    public Task PublishAsync(string tripId, string message, CancellationToken cancellationToken) => Task.CompletedTask;
}

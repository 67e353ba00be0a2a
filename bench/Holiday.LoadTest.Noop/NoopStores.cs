using Holiday.Data;
using Holiday.Domain;
using Holiday.Services;

namespace Holiday.LoadTest.Noop;

/// <summary>
/// Stores that answer at once and keep nothing: every journaled step of the saga still runs (its <c>RunAsync</c> is
/// journaled as usual), only the DynamoDB round trip inside it is gone. Confirm, cancel and refund report the record
/// as found, as they would after a successful reserve.
/// </summary>
internal sealed class NoopStores : IBookingStore, IPaymentStore, ITripStore
{
    private static readonly Task<bool> Found = Task.FromResult(true);

    private NoopStores()
    {
    }

    /// <summary>The Holiday dependencies with every store a no-op and no notifier.</summary>
    public static HolidayDependencies Dependencies { get; } = Create();

    public Task ReserveAsync(BookingRecord booking, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<bool> SetStatusAsync(string tripId, string bookingId, string status, CancellationToken cancellationToken) => Found;

    public Task ChargeAsync(string tripId, string paymentId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<bool> RefundAsync(string tripId, string paymentId, CancellationToken cancellationToken) => Found;

    public Task RecordAsync(TripOutcome outcome, CancellationToken cancellationToken) => Task.CompletedTask;

    private static HolidayDependencies Create()
    {
        var stores = new NoopStores();
        return new HolidayDependencies(stores, stores, stores, stores, NoNotifier.Instance);
    }
}

using OrderConsistency.Orders;

namespace OrderConsistency.Inventory;

/// <summary>
/// The trading/inventory system orders hold assets in. An item's assets are earmarked first, then booked or released;
/// a booking can be released again. Every call names the earmark by an id the caller chooses, which is also the call's
/// idempotency key: repeating a call changes nothing.
/// </summary>
/// <remarks>Calls may fail for a while (any exception other than <see cref="Restate.Sdk.TerminalException"/>: retry
/// the same call) or be refused for good (<see cref="Restate.Sdk.TerminalException"/>: the asset is not available).</remarks>
public interface IInventory
{
    /// <summary>Earmarks the item's assets for the order under <paramref name="earmarkId"/>.</summary>
    /// <exception cref="Restate.Sdk.TerminalException">The assets are not available; nothing was earmarked.</exception>
    Task EarmarkAsync(string earmarkId, string orderId, OrderItem item, CancellationToken cancellationToken);

    /// <summary>Turns the earmark into a booking.</summary>
    /// <exception cref="Restate.Sdk.TerminalException">The booking was refused; the earmark stays until it is released.</exception>
    Task BookAsync(string earmarkId, CancellationToken cancellationToken);

    /// <summary>Releases an earmark that was not booked; releasing twice is harmless.</summary>
    Task ReleaseEarmarkAsync(string earmarkId, CancellationToken cancellationToken);

    /// <summary>Releases a booking; releasing twice is harmless.</summary>
    Task ReleaseBookingAsync(string earmarkId, CancellationToken cancellationToken);
}

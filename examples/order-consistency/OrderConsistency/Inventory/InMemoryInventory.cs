using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using OrderConsistency.Orders;
using Restate.Sdk;

namespace OrderConsistency.Inventory;

/// <summary>
/// The inventory in this process, standing in for a real one: it keeps every holding and every call it received, with
/// its earmark id, so a checker can compare them with the orders. It fails calls as <see cref="OrderConsistencyOptions"/>
/// says. Each decision is a hash of the seed, the call (operation, order and item) and how often it was made before,
/// so it does not depend on how concurrent calls interleave; and it lives outside restate-server, so it outlives a
/// crashed node.
/// </summary>
public sealed partial class InMemoryInventory(IOptions<OrderConsistencyOptions> options, ILogger<InMemoryInventory> logger) : IInventory
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Holding> _holdings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly List<InventoryOperation> _operations = [];

    /// <summary>Every holding, in no particular order.</summary>
    public IReadOnlyList<Holding> Holdings
    {
        get
        {
            lock (_gate)
            {
                return [.. _holdings.Values];
            }
        }
    }

    /// <summary>Every call received, oldest first.</summary>
    public IReadOnlyList<InventoryOperation> Operations
    {
        get
        {
            lock (_gate)
            {
                return [.. _operations];
            }
        }
    }

    /// <summary>The holdings of one order.</summary>
    public IReadOnlyList<Holding> HoldingsOf(string orderId)
    {
        lock (_gate)
        {
            return [.. _holdings.Values.Where(holding => holding.OrderId == orderId)];
        }
    }

    /// <summary>The calls made for one order, oldest first.</summary>
    public IReadOnlyList<InventoryOperation> OperationsOf(string orderId)
    {
        lock (_gate)
        {
            return [.. _operations.Where(operation => operation.OrderId == orderId)];
        }
    }

    /// <inheritdoc />
    public Task EarmarkAsync(string earmarkId, string orderId, OrderItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        lock (_gate)
        {
            const string operation = "earmark";
            if (_holdings.ContainsKey(earmarkId))
            {
                Record(operation, earmarkId, OperationOutcome.Repeated);
                return Task.CompletedTask;
            }
            var failure = DrawTransientFailure(operation, $"{orderId}/{item.ItemId}");
            if (failure == OperationOutcome.FailedBeforeApplying)
            {
                throw TransientFailure(operation, earmarkId, failure, orderId, item.ItemId);
            }
            if (options.Value.UnavailableAssets.Contains(item.Asset)
                || Draw("earmark refused", $"{orderId}/{item.ItemId}") < options.Value.EarmarkFailureProbability)
            {
                Record(operation, earmarkId, OperationOutcome.NotAvailable, orderId, item.ItemId);
                throw new TerminalException(
                    $"{item.Quantity} of asset '{item.Asset}' for item '{item.ItemId}' of order '{orderId}' are not available", 422);
            }
            _holdings[earmarkId] = new Holding(earmarkId, orderId, item.ItemId, item.Asset, item.Quantity, HoldingState.Earmarked);
            Record(operation, earmarkId, OperationOutcome.Applied);
            return failure == OperationOutcome.FailedAfterApplying
                ? throw TransientFailure(operation, earmarkId, failure, orderId, item.ItemId)
                : Task.CompletedTask;
        }
    }

    /// <inheritdoc />
    public Task BookAsync(string earmarkId, CancellationToken cancellationToken) =>
        Change("book", earmarkId, HoldingState.Earmarked, HoldingState.Booked, refusable: true);

    /// <inheritdoc />
    public Task ReleaseEarmarkAsync(string earmarkId, CancellationToken cancellationToken) =>
        Change("release-earmark", earmarkId, HoldingState.Earmarked, HoldingState.Released, refusable: false);

    /// <inheritdoc />
    public Task ReleaseBookingAsync(string earmarkId, CancellationToken cancellationToken) =>
        Change("release-booking", earmarkId, HoldingState.Booked, HoldingState.Released, refusable: false);

    private Task Change(string operation, string earmarkId, HoldingState from, HoldingState to, bool refusable)
    {
        lock (_gate)
        {
            if (!_holdings.TryGetValue(earmarkId, out var holding))
            {
                Record(operation, earmarkId, OperationOutcome.Refused);
                throw new TerminalException($"The inventory has no earmark '{earmarkId}' to {operation.Replace('-', ' ')}", 409);
            }
            if (holding.State == to)
            {
                Record(operation, earmarkId, OperationOutcome.Repeated);
                return Task.CompletedTask;
            }
            if (holding.State != from)
            {
                Record(operation, earmarkId, OperationOutcome.Refused);
                throw new TerminalException($"Earmark '{earmarkId}' is {holding.State}, so it cannot {operation.Replace('-', ' ')}", 409);
            }
            var failure = DrawTransientFailure(operation, $"{holding.OrderId}/{holding.ItemId}");
            if (failure == OperationOutcome.FailedBeforeApplying)
            {
                throw TransientFailure(operation, earmarkId, failure);
            }
            if (refusable && (options.Value.UnbookableAssets.Contains(holding.Asset)
                || Draw("booking refused", $"{holding.OrderId}/{holding.ItemId}") < options.Value.BookingFailureProbability))
            {
                Record(operation, earmarkId, OperationOutcome.NotAvailable);
                throw new TerminalException(
                    $"Booking {holding.Quantity} of asset '{holding.Asset}' for item '{holding.ItemId}' was refused", 422);
            }
            _holdings[earmarkId] = holding with { State = to };
            Record(operation, earmarkId, OperationOutcome.Applied);
            return failure == OperationOutcome.FailedAfterApplying ? throw TransientFailure(operation, earmarkId, failure) : Task.CompletedTask;
        }
    }

    /// <summary>
    /// Whether this call fails transiently, and when. The n-th call of an operation for an order's item always draws the
    /// same (keyed by order and item, not by the earmark id, which differs from run to run).
    /// </summary>
    private OperationOutcome? DrawTransientFailure(string operation, string item)
    {
        var call = $"{operation}/{item}";
        var attempt = _calls.GetValueOrDefault(call);
        _calls[call] = attempt + 1;
        var draw = Draw("transient", $"{call}#{attempt}");
        var probability = options.Value.TransientFailureProbability;
        return draw >= probability ? null
            : draw < probability / 2 ? OperationOutcome.FailedBeforeApplying
            : OperationOutcome.FailedAfterApplying;
    }

    private InventoryUnavailableException TransientFailure(string operation, string earmarkId, OperationOutcome? outcome,
        string? orderId = null, string? itemId = null)
    {
        if (outcome == OperationOutcome.FailedBeforeApplying)
        {
            Record(operation, earmarkId, OperationOutcome.FailedBeforeApplying, orderId, itemId);
            return new InventoryUnavailableException($"The inventory did not answer '{operation}' of earmark '{earmarkId}' (simulated)");
        }
        Record(operation, earmarkId, OperationOutcome.FailedAfterApplying);
        return new InventoryUnavailableException($"The answer to '{operation}' of earmark '{earmarkId}' was lost (simulated)");
    }

    /// <summary>A number in [0, 1) that depends only on the seed and the arguments (FNV-1a; string.GetHashCode is randomized per process).</summary>
    private double Draw(string purpose, string subject)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes($"{options.Value.Seed.ToString(CultureInfo.InvariantCulture)}|{purpose}|{subject}"))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }
        // FNV's low bits mix poorly for short inputs; a final avalanche step (splitmix64) spreads them.
        hash ^= hash >> 30;
        hash *= 0xbf58476d1ce4e5b9UL;
        hash ^= hash >> 27;
        hash *= 0x94d049bb133111ebUL;
        hash ^= hash >> 31;
        return (hash >> 11) * (1.0 / (1UL << 53));
    }

    private void Record(string operation, string earmarkId, OperationOutcome outcome, string? orderId = null, string? itemId = null)
    {
        if (_holdings.TryGetValue(earmarkId, out var holding))
        {
            (orderId, itemId) = (holding.OrderId, holding.ItemId);
        }
        _operations.Add(new InventoryOperation(_operations.Count + 1, operation, earmarkId, orderId, itemId, outcome));
        LogOperation(operation, earmarkId, orderId ?? "?", itemId ?? "?", outcome);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Inventory {Operation} {EarmarkId} (order {OrderId}, item {ItemId}): {Outcome}")]
    private partial void LogOperation(string operation, string earmarkId, string orderId, string itemId, OperationOutcome outcome);
}

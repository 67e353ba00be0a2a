namespace OrderConsistency;

/// <summary>
/// The example's settings, bound from the configuration section <c>Orders</c> (<c>Orders__BookingFailureProbability</c>
/// as an environment variable). The in-process inventory draws its simulated failures from <see cref="Seed"/>, so a run
/// with the same orders fails the same calls.
/// </summary>
public sealed class OrderConsistencyOptions
{
    /// <summary>The configuration section the options are read from.</summary>
    public const string Section = "Orders";

    /// <summary>Seed of the inventory's simulated failures.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Chance that an inventory call fails transiently (Restate retries it); half of these fail after the change was made.</summary>
    public double TransientFailureProbability { get; set; } = 0.1;

    /// <summary>Chance that an item's assets are not available, so the item is not added.</summary>
    public double EarmarkFailureProbability { get; set; } = 0.05;

    /// <summary>Chance that booking an item is refused when its order closes, so the order fails.</summary>
    public double BookingFailureProbability { get; set; } = 0.1;

    /// <summary>Assets that can never be earmarked (besides <see cref="EarmarkFailureProbability"/>).</summary>
    public IList<string> UnavailableAssets { get; } = [];

    /// <summary>Assets that can be earmarked but never booked (besides <see cref="BookingFailureProbability"/>).</summary>
    public IList<string> UnbookableAssets { get; } = [];
}

using Restate.Sdk;

namespace Patterns.EventEnrichment;

/// <summary>
/// A package in delivery, keyed by package id (a digital twin): registered by the seller through a call, enriched by
/// location updates that arrive as events (a Kafka subscription keyed by package id), and read by a dashboard.
/// </summary>
// The object's state is the join of the two streams: the registration and the updates of one package meet here, one
// handler at a time, in the order they arrive, with no table or lock of our own.
[VirtualObject("PackageTracker")]
public sealed partial class PackageTracker
{
    /// <summary>The package's destination and the locations seen so far; absent until it is registered.</summary>
    public static readonly StateKey<PackageInfo> Info = new("package-info");

    /// <summary>Starts tracking the package.</summary>
    /// <exception cref="TerminalException">No destination (400), or the package is registered already (409).</exception>
    [Handler("registerPackage")]
    public static async Task RegisterPackageAsync(ObjectContext ctx, PackageRegistration registration)
    {
        if (string.IsNullOrWhiteSpace(registration?.FinalDestination))
        {
            throw new TerminalException("A package needs a non-empty 'finalDestination'", 400);
        }
        if (await ctx.GetAsync(Info) is not null)
        {
            // Registering again would lose the locations seen so far.
            throw new TerminalException($"Package {ctx.Key} is already registered", 409);
        }
        ctx.Set(Info, new PackageInfo(registration.FinalDestination, []));
    }

    /// <summary>Adds a location to the package's route; the event a Kafka subscription on the location topic invokes.</summary>
    /// <exception cref="TerminalException">No location (400), or the package was never registered (404).</exception>
    [Handler("updateLocation")]
    public static async Task UpdateLocationAsync(ObjectContext ctx, LocationUpdate update)
    {
        if (string.IsNullOrWhiteSpace(update?.Location))
        {
            throw new TerminalException("A location update needs a non-empty 'location'", 400);
        }
        var info = await ctx.GetAsync(Info) ?? throw NotRegistered(ctx);
        ctx.Set(Info, info with { Locations = [.. info.Locations, update] });
    }

    /// <summary>The package's destination and route so far.</summary>
    /// <exception cref="TerminalException">The package was never registered (404).</exception>
    // Shared: reads run concurrently with each other and with the updates, and never wait behind them.
    [Handler("getPackageInfo")]
    [Shared]
    public static async Task<PackageInfo> GetPackageInfoAsync(SharedObjectContext ctx) =>
        await ctx.GetAsync(Info) ?? throw NotRegistered(ctx);

    private static TerminalException NotRegistered(SharedObjectContext ctx) => new($"Package {ctx.Key} is not registered", 404);
}

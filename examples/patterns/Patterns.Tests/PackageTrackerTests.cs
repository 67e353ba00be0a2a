using Patterns.EventEnrichment;
using Restate.Sdk;

namespace Patterns.Tests;

// A Kafka subscription on the location topic invokes updateLocation once per record, with the record's key as the
// object key and its value as the body; the tests make the same invocations through the ingress.
public sealed class PackageTrackerTests(PatternsFixture restate) : IClassFixture<PatternsFixture>
{
    private static readonly LocationUpdate Paris = new("2024-10-10 13:00", "Pinetree Road 5, Paris");
    private static readonly LocationUpdate Brussels = new("2024-10-10 14:00", "Mountain Road 155, Brussels");

    [Fact]
    public async Task UpdateLocation_TwoEventsAfterRegistering_EnrichThePackageInOrder()
    {
        var package = PatternsFixtureBase.NewId("package");
        var tracker = restate.Client.ObjectClient<PackageTrackerIngressClient>(package);

        await tracker.RegisterPackageAsync(new PackageRegistration("Bridge 6, Amsterdam"));
        await tracker.UpdateLocationAsync(Paris);
        await tracker.UpdateLocationAsync(Brussels);
        var info = await tracker.GetPackageInfoAsync();

        Assert.Equal("Bridge 6, Amsterdam", info.FinalDestination);
        Assert.Equal([Paris, Brussels], info.Locations);
        Assert.Equal([Paris, Brussels], (await restate.GetStateAsync("PackageTracker", package, PackageTracker.Info))!.Locations);
    }

    [Fact]
    public async Task UpdateLocation_UnregisteredPackage_Fails404AndStoresNothing()
    {
        var package = PatternsFixtureBase.NewId("package");
        var tracker = restate.Client.ObjectClient<PackageTrackerIngressClient>(package);

        var update = await Assert.ThrowsAsync<TerminalException>(() => tracker.UpdateLocationAsync(Paris));
        var read = await Assert.ThrowsAsync<TerminalException>(() => tracker.GetPackageInfoAsync());

        Assert.Equal((404, $"Package {package} is not registered"), (update.Code, update.Message));
        Assert.Equal((404, $"Package {package} is not registered"), (read.Code, read.Message));
        Assert.Null(await restate.GetStateAsync("PackageTracker", package, PackageTracker.Info));
    }

    [Fact]
    public async Task RegisterPackage_Again_Fails409AndKeepsTheRoute()
    {
        var package = PatternsFixtureBase.NewId("package");
        var tracker = restate.Client.ObjectClient<PackageTrackerIngressClient>(package);
        await tracker.RegisterPackageAsync(new PackageRegistration("Bridge 6, Amsterdam"));
        await tracker.UpdateLocationAsync(Paris);

        var failure = await Assert.ThrowsAsync<TerminalException>(() => tracker.RegisterPackageAsync(new PackageRegistration("Elsewhere")));

        Assert.Equal((409, $"Package {package} is already registered"), (failure.Code, failure.Message));
        var info = await tracker.GetPackageInfoAsync();
        Assert.Equal(("Bridge 6, Amsterdam", 1), (info.FinalDestination, info.Locations.Count));
    }
}

using Restate.Sdk.Endpoint;

namespace Restate.Sdk.Testing.Tests;

/// <summary>The Testcontainers route: restate-server in Docker. It runs where a Docker engine exists and skips elsewhere.</summary>
public sealed class ContainerServerTests
{
    [SkippableTheory]
    [InlineData(ProtocolMode.BidiStream)]
    [InlineData(ProtocolMode.RequestResponse)]
    public async Task StartAsync_InAContainer_HostsRegistersCallsAndReadsState(ProtocolMode mode)
    {
        Skip.IfNot(RestateServerContainer.IsDockerAvailable(), "The container route needs a Docker engine, and none is reachable here.");
        var options = new RestateTestOptions { Container = new RestateContainerOptions(), ProtocolMode = mode, AlwaysSuspend = true };
        await using var restate = await RestateTestEnvironment.StartAsync(endpoint => endpoint.Bind(KitCounter.Definition()), options);
        var counter = restate.Client.ObjectClient<KitCounterIngressClient>("container");

        var first = await counter.AddAsync(5);
        var second = await counter.AddAsync(2);

        Assert.IsType<RestateServerContainer>(restate.Server);
        Assert.Equal((5, 7), (first, second));
        Assert.Equal(7, await restate.GetStateAsync("KitCounter", "container", KitCounter.Count));
    }

    [SkippableFact]
    public async Task StartAsync_WithoutDocker_FailsNamingTheProcessRoute()
    {
        Skip.If(RestateServerContainer.IsDockerAvailable(), "A Docker engine is reachable: the container route works here.");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RestateTestEnvironment.StartAsync(
            endpoint => endpoint.Bind(KitCounter.Definition()), new RestateTestOptions { Container = new RestateContainerOptions() }));

        Assert.Contains("needs a Docker engine", error.Message, StringComparison.Ordinal);
        Assert.Contains("RESTATE_SERVER_BINARY", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_AnEmptyImage_IsRefusedBeforeAnythingStarts()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => RestateServerContainer.StartAsync(new RestateContainerOptions { Image = " " }));

        Assert.Equal("options", error.ParamName);
    }
}

using Restate.Sdk.Endpoint;
using Restate.Sdk.Testing.Xunit;

namespace Restate.Sdk.Testing.Tests;

public sealed class KitCounterFixture : RestateFixture
{
    protected override void Configure(RestateEndpointBuilder endpoint) => endpoint.Bind(KitCounter.Definition());

    protected override RestateTestOptions Options => new() { AlwaysSuspend = true };
}

/// <summary>Two tests sharing one fixture: one server and one deployment for the class.</summary>
public sealed class RestateFixtureTests(KitCounterFixture restate) : IClassFixture<KitCounterFixture>
{
    [Fact]
    public async Task Fixture_CallThroughItsClient_StateIsReadable()
    {
        var key = Guid.NewGuid().ToString("N");

        var total = await restate.Client.ObjectClient<KitCounterIngressClient>(key).AddAsync(4);

        Assert.Equal(4, total);
        Assert.Equal(4, await restate.GetStateAsync("KitCounter", key, KitCounter.Count));
    }

    [Fact]
    public async Task Fixture_SharedByTheClass_IsOneDeploymentOfOneServer()
    {
        var deployments = await TestSupport.GetJsonAsync(restate.Environment.Server.Admin, "deployments");

        Assert.Single(deployments["deployments"]!.AsArray());
    }

    [Fact]
    public void Fixture_NotStartedByXunit_SaysHowToUseIt()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new KitCounterFixture().Client);

        Assert.Equal("KitCounterFixture is not started: xunit starts it when a test class takes it as IClassFixture<KitCounterFixture>.", error.Message);
    }
}

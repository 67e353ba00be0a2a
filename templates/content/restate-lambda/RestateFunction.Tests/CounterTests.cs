using Microsoft.Extensions.DependencyInjection;
using Restate.Sdk.Endpoint;
using Restate.Sdk.Testing;
using Restate.Sdk.Testing.Xunit;

namespace RestateFunction.Tests;

/// <summary>restate-server and the function's services, hosted in the test process in request/response mode, as on Lambda.</summary>
public sealed class FunctionFixture : RestateServicesFixture
{
    protected override void ConfigureServices(IServiceCollection services) => services.AddApp();

    // Lambda is request/response: every await that cannot complete at once suspends and costs another invocation.
    protected override RestateTestOptions Options => new() { ProtocolMode = ProtocolMode.RequestResponse };
}

public sealed class CounterTests(FunctionFixture restate) : IClassFixture<FunctionFixture>
{
    [Fact]
    public async Task Add_Twice_KeepsTheSumInState()
    {
        var key = Guid.NewGuid().ToString("N");
        var counter = restate.Client.ObjectClient<CounterIngressClient>(key);

        await counter.AddAsync(2);
        var total = await counter.AddAsync(3);

        Assert.Equal(5, total);
        Assert.Equal(5, await restate.GetStateAsync("Counter", key, Counter.Count));
    }
}

using Microsoft.Extensions.DependencyInjection;
using Restate.Sdk.Client;
using Restate.Sdk.Testing;
using Restate.Sdk.Testing.Xunit;

namespace RestateApp.Tests;

/// <summary>restate-server and this app's services, registered as Program.cs does, started once for the test class.</summary>
public sealed class AppFixture : RestateServicesFixture
{
    protected override void ConfigureServices(IServiceCollection services) => services.AddApp();

    // Every await that cannot complete at once suspends the invocation, so each test also exercises replay.
    protected override RestateTestOptions Options => new() { AlwaysSuspend = true };
}

public sealed class GreeterTests(AppFixture restate) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Greet_Twice_CountsTheVisitsInTheCounter()
    {
        var name = "ada-" + Guid.NewGuid().ToString("N");
        var greeter = restate.Client.ServiceClient<GreeterIngressClient>();

        await greeter.GreetAsync(new GreetRequest(name));
        var second = await greeter.GreetAsync(new GreetRequest(name));

        Assert.Equal(new Greeting($"Hello, {name}!", 2), second);
        Assert.Equal(2, await restate.GetStateAsync("Counter", name, Counter.Count));
    }

    [Fact]
    public async Task Add_WithTheSameIdempotencyKey_CountsOnce()
    {
        var counter = restate.Client.ObjectClient<CounterIngressClient>(Guid.NewGuid().ToString("N"));
        var once = new Restate.Sdk.CallOptions { IdempotencyKey = Guid.NewGuid().ToString() };

        await counter.AddAsync(5, once);
        await counter.AddAsync(5, once);

        Assert.Equal(5, await counter.GetAsync());
    }

    [Fact]
    public async Task Greet_FromCodeOutsideRestate_AnswersThroughTheIngress()
    {
        var ingress = restate.Environment.Server.IngressUri;

        using var client = RestateClient.Create(ingress);
        var greeting = await client.ServiceClient<GreeterIngressClient>().GreetAsync(new GreetRequest("Ada"));

        Assert.Equal("Hello, Ada!", greeting.Message);
    }
}

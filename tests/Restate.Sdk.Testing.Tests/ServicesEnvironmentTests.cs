using Microsoft.Extensions.DependencyInjection;
using Restate.Sdk.Endpoint;
using Restate.Sdk.Testing.Xunit;

namespace Restate.Sdk.Testing.Tests;

/// <summary>The dependency-injection route of the kit: the services an application registers with AddRestate.</summary>
public sealed class ServicesEnvironmentTests
{
    [Theory]
    [InlineData(ProtocolMode.BidiStream)]
    [InlineData(ProtocolMode.RequestResponse)]
    public async Task StartWithServicesAsync_AddService_InjectsDependenciesWithAScopePerAttempt(ProtocolMode mode)
    {
        var scopes = new ScopeLog();
        await using var restate = await RestateTestEnvironment.StartWithServicesAsync(services => services
            .AddSingleton(scopes)
            .AddSingleton<GreetingFormat>()
            .AddScoped<AttemptScope>()
            .AddRestate(r => r.AddService<KitGreeter>()), new RestateTestOptions { ProtocolMode = mode, AlwaysSuspend = true });
        var greeter = restate.Client.ObjectClient<KitGreeterIngressClient>("ada");

        var first = await greeter.GreetAsync();
        var second = await greeter.GreetAsync();

        Assert.Equal(("Hello ada, visit 1", "Hello ada, visit 2"), (first, second));
        // Each call suspends at its sleep and resumes in a new attempt, each with a scope of its own, disposed at its end.
        // (The last scope is disposed as its attempt ends, which may be just after the ingress answered.)
        for (var wait = 0; wait < 100 && scopes.Disposed < scopes.Created; wait++)
        {
            await Task.Delay(50);
        }
        Assert.True(scopes.Created >= 4, $"expected a scope per attempt (at least 4), got {scopes.Created}");
        Assert.Equal(scopes.Created, scopes.Disposed);
        var deployment = await TestSupport.GetJsonAsync(restate.Server.Admin, $"deployments/{restate.DeploymentId}");
        Assert.Equal(mode == ProtocolMode.RequestResponse ? "RequestResponse" : "BidiStream", deployment["protocol_type"]!.GetValue<string>());
    }

    [Fact]
    public async Task StartWithServicesAsync_WithoutAddRestate_FailsSayingToCallIt()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            RestateTestEnvironment.StartWithServicesAsync(services => services.AddSingleton<GreetingFormat>()));

        Assert.Contains("AddRestate was not called", error.Message, StringComparison.Ordinal);
    }
}

public sealed class KitGreeterFixture : RestateServicesFixture
{
    protected override void ConfigureServices(IServiceCollection services) => services
        .AddSingleton<ScopeLog>()
        .AddSingleton<GreetingFormat>()
        .AddScoped<AttemptScope>()
        .AddRestate(restate => restate.AddService<KitGreeter>());
}

public sealed class RestateServicesFixtureTests(KitGreeterFixture restate) : IClassFixture<KitGreeterFixture>
{
    [Fact]
    public async Task Fixture_ServicesFromDependencyInjection_AnswerThroughItsClient()
    {
        var key = Guid.NewGuid().ToString("N");

        var greeting = await restate.Client.ObjectClient<KitGreeterIngressClient>(key).GreetAsync();

        Assert.Equal($"Hello {key}, visit 1", greeting);
    }
}

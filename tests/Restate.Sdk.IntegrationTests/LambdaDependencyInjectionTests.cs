using System.Net;
using System.Text.Json.Nodes;
using Restate.Sdk.Testing;
using Restate.Sdk.Testing.Lambda;

namespace Restate.Sdk.IntegrationTests;

/// <summary>
/// <c>RestateLambda.CreateBuilder()</c> (<c>Restate.Sdk.TestServices lambda-di</c>: ScopedGreeter and its dependencies
/// from the container, settings from the environment) in the Lambda emulator, invoked by the real restate-server.
/// </summary>
public sealed class LambdaDependencyInjectionFixture() : LambdaTestServicesFixture("sdk-di-services", "lambda-di");

public sealed class LambdaDependencyInjectionTests(LambdaDependencyInjectionFixture fixture) : IClassFixture<LambdaDependencyInjectionFixture>
{
    [Fact]
    public async Task CreateBuilder_EveryAwaitSuspends_OneScopePerAttemptDisposedBeforeTheResponse()
    {
        var response = await fixture.Server.Ingress.PostJsonAsync("/ScopedGreeter/greet", "\"ada\"");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("\"hello ada\"", response.Body);
        var attempts = fixture.SideEffects.EntriesStartingWith($"enter:{response.InvocationId}:").Select(entry => entry.Split(':')).ToList();
        Assert.True(attempts.Count >= 3, $"{attempts.Count} attempt(s): over Lambda every await suspends");
        var resources = attempts.Select(a => a[2]).ToList();
        Assert.Equal(attempts.Count, resources.Distinct().Count());
        Assert.All(attempts, a => Assert.Equal("True", a[4]));
        // One process served them all: its singleton is the same in every attempt.
        Assert.Single(attempts.Select(a => a[3]).Distinct());
        // Lambda answers after the attempt unwound, so each scope is disposed by the time its attempt's response left.
        Assert.All(resources, resource => Assert.Equal(1, fixture.SideEffects.Count($"dispose:{resource}")));
    }

    [Fact]
    public async Task CreateBuilder_MalformedIdentityKeyInTheEnvironment_ReportsAnInitErrorNamingTheSetting()
    {
        var function = fixture.Lambda.AddFunction(fixture.FunctionDefinition("sdk-di-bad-key", new() { ["Restate__IdentityKeys__0"] = "publickeyv1_bad" }));

        var result = await fixture.Lambda.InvokeAsync(function.QualifiedArn, "{}");

        Assert.Equal("Unhandled", result.FunctionError);
        var error = JsonNode.Parse(result.Payload)!;
        Assert.Equal("InvalidOperationException", error["errorType"]!.GetValue<string>());
        Assert.StartsWith("Configuration 'Restate:IdentityKeys:0' is not a request-identity public key:", error["errorMessage"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(LambdaInvocationStatus.InitError, fixture.Lambda.Invocations.Single(i => i.FunctionName == function.Name).Status);
    }
}

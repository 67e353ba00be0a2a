using System.Net;
using System.Text.Json.Nodes;
using Restate.Sdk.Testing;

namespace Restate.Sdk.IntegrationTests;

/// <summary>
/// The test services as a Lambda function (<c>Restate.Sdk.TestServices lambda</c>) in the Lambda emulator, invoked by
/// the real restate-server: request/response only, so every await that cannot complete at once ends the attempt.
/// </summary>
public sealed class LambdaServicesFixture() : LambdaTestServicesFixture("sdk-test-services", "lambda");

public sealed class LambdaUnwindingTests(LambdaServicesFixture fixture) : IClassFixture<LambdaServicesFixture>
{
    [Fact]
    public async Task Unwinding_LockHeldAcrossAwaits_IsReleasedBeforeTheNextInvocationNeedsIt()
    {
        for (var i = 0; i < 3; i++)
        {
            var response = await fixture.Server.Ingress.PostJsonAsync("/Unwinding/holdLock", $"\"call {i}\"");

            Assert.Equal(HttpStatusCode.OK, response.Status);
            Assert.Equal($"\"call {i} done\"", response.Body);
        }
    }

    [Fact]
    public async Task Unwinding_UsingScopeAndAttemptToken_EndOncePerAttempt()
    {
        var response = await fixture.Server.Ingress.PostJsonAsync("/Unwinding/countScopes", null);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var id = response.InvocationId;
        var attempts = fixture.SideEffects.Count($"enter:{id}");
        Assert.True(attempts > 1, $"{attempts} attempt(s): over Lambda every await suspends");
        Assert.Equal(attempts, fixture.SideEffects.Count($"dispose:{id}"));
        Assert.Equal(attempts - 1, fixture.SideEffects.Count($"token:{id}"));
    }

    [Fact]
    public async Task RunAsync_EndpointWithoutLoggerFactory_HandlerLogLinesReachTheFunctionsStdout()
    {
        // Restate.Sdk.TestServices lambda builds its endpoint without WithLoggerFactory.
        var tag = Guid.NewGuid().ToString("N");

        var response = await fixture.Server.Ingress.PostJsonAsync("/Telemetry/logAroundSleep", $"\"{tag}\"");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        // Written before the response was posted; the emulator reads the process's stdout on its own, so allow it to catch up.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!fixture.Function.RecentLog.Any(line => line.Contains($"after sleep {tag}", StringComparison.Ordinal)))
        {
            await Task.Delay(20, timeout.Token);
        }
        var lines = fixture.Function.RecentLog.Where(line => line.Contains(tag, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Contains($"info: Restate.Handler.Telemetry => {response.InvocationId} Telemetry/logAroundSleep: before sleep {tag}", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task BlockingOnAFuture_InsteadOfAwaitingIt_ThrowsSayingToAwait()
    {
        var response = await fixture.Server.Ingress.PostJsonAsync("/Unwinding/blockOnRun", null);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.StartsWith("refused: This durable future has no result yet: await it", JsonNode.Parse(response.Body)!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_OverLambda_HasTheEventsHeadersAsAttemptHeaders()
    {
        var response = await fixture.Server.Ingress.PostJsonAsync("/Introspection/describe", "\"x\"");

        Assert.Matches("attempt-content-type=application/vnd\\.restate\\.invocation\\.v[56]$", JsonNode.Parse(response.Body)!.GetValue<string>());
    }
}

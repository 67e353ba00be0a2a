using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Restate.Sdk.Endpoint;
using Restate.Sdk.Testing;
using Restate.Sdk.TestServices;

namespace Restate.Sdk.IntegrationTests;

/// <summary>One restate-server for tests that register endpoints of their own.</summary>
public sealed class PlainServerFixture() : OwnEndpointsServerFixture(ServerConfiguration.BidiStream);

/// <summary>
/// How an endpoint is hosted, against the real server: forced request/response over h2c, and logging through the
/// host's logger factory without any WithLoggerFactory call. Each test registers its own endpoint (the last
/// registration serves the services), and tests of one class run one after another.
/// </summary>
public sealed class EndpointHostingTests(PlainServerFixture fixture) : IClassFixture<PlainServerFixture>
{
    [Fact]
    public async Task WithProtocolMode_RequestResponseRegisteredOverH2c_IsRequestResponseAndSuspendsAtEveryAwait()
    {
        await using var host = await TestServicesHost.StartAsync(fixture.SideEffects,
            configure: endpoint => endpoint.WithProtocolMode(ProtocolMode.RequestResponse));
        var deploymentId = await fixture.Server.RegisterDeploymentAsync(host.Http2Uri);

        var deployment = await fixture.DeploymentAsync(deploymentId);
        var response = await fixture.Server.Ingress.PostJsonAsync("/Unwinding/countScopes", null);

        Assert.Equal("RequestResponse", deployment["protocol_type"]?.GetValue<string>());
        Assert.Equal("HTTP/2.0", deployment["http_version"]?.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, response.Status);
        // Sleep, run, sleep: each await that cannot complete at once ends the attempt, so the handler starts over 4 times.
        var attempts = fixture.SideEffects.Count($"enter:{response.InvocationId}");
        Assert.True(attempts >= 3, $"{attempts} attempt(s): request/response over HTTP/2 should suspend at each await");
    }

    [Fact]
    public async Task DefaultProtocolMode_RegisteredOverH2c_IsBidiStreamAndRunsInOneAttempt()
    {
        await using var host = await TestServicesHost.StartAsync(fixture.SideEffects);
        var deploymentId = await fixture.Server.RegisterDeploymentAsync(host.Http2Uri);

        var deployment = await fixture.DeploymentAsync(deploymentId);
        var response = await fixture.Server.Ingress.PostJsonAsync("/Unwinding/countScopes", null);

        Assert.Equal("BidiStream", deployment["protocol_type"]?.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(1, fixture.SideEffects.Count($"enter:{response.InvocationId}"));
    }

    [Fact]
    public async Task MapRestate_EndpointWithoutLoggerFactory_HandlerLogAndRetryWarningReachTheAppsLoggerProvider()
    {
        var logs = new CapturingLoggerProvider();
        await using var host = await TestServicesHost.StartAsync(fixture.SideEffects, handlerLogs: logs);
        await fixture.Server.RegisterDeploymentAsync(host.Http2Uri);
        var tag = Guid.NewGuid().ToString("N");

        var logged = await fixture.Server.Ingress.PostJsonAsync("/Telemetry/logAroundSleep", $"\"{tag}\"");
        var retried = await fixture.Server.Ingress.PostJsonAsync("/Sequencer/flaky", "1");

        Assert.Equal(HttpStatusCode.OK, logged.Status);
        Assert.Contains(logs.Entries, e => e.Category == "Restate.Handler.Telemetry" && e.Message == $"before sleep {tag}");
        Assert.Equal(HttpStatusCode.OK, retried.Status);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains(retried.InvocationId!, StringComparison.Ordinal));
    }

    private sealed record LogEntry(string Category, LogLevel Level, string Message);

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<LogEntry> _entries = new();

        public IReadOnlyList<LogEntry> Entries => [.. _entries];

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner._entries.Enqueue(new LogEntry(category, logLevel, formatter(state, exception)));
        }
    }
}

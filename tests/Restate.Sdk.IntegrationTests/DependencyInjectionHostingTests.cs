using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Restate.Sdk.AspNetCore;
using Restate.Sdk.DependencyInjection;
using Restate.Sdk.Testing;
using Restate.Sdk.TestServices;

namespace Restate.Sdk.IntegrationTests;

/// <summary>A restate-server whose invoker suspends at every await (inactivity timeout 0), for the hosting tests.</summary>
public sealed class AlwaysSuspendingServerFixture() : OwnEndpointsServerFixture(ServerConfiguration.AlwaysSuspending);

/// <summary>
/// <c>builder.Services.AddRestate(...)</c> and <c>app.MapRestate()</c> against the real server: service instances and
/// their dependencies from the container, a scope per attempt, settings from configuration, the app's logging. Each test
/// registers its own app (the last registration serves the services); tests of one class run one after another.
/// </summary>
public sealed class DependencyInjectionHostingTests(AlwaysSuspendingServerFixture fixture) : IClassFixture<AlwaysSuspendingServerFixture>
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AddService_EveryAwaitSuspends_OneScopePerAttemptDisposedWhenTheAttemptEnds(bool useHttp11)
    {
        await using var app = await StartAsync(fixture.SideEffects);
        var deploymentId = await fixture.Server.RegisterDeploymentAsync(useHttp11 ? app.Http1Uri : app.Http2Uri, useHttp11);

        var deployment = await fixture.DeploymentAsync(deploymentId);
        var response = await fixture.Server.Ingress.PostJsonAsync("/ScopedGreeter/greet", "\"ada\"");

        Assert.Equal(useHttp11 ? "RequestResponse" : "BidiStream", deployment["protocol_type"]?.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("\"hello ada\"", response.Body);
        var attempts = Attempts(response.InvocationId!);
        // Sleep, run, sleep: each await ends the attempt, so the handler starts at least three times.
        Assert.True(attempts.Count >= 3, $"{attempts.Count} attempt(s): every await should suspend");
        Assert.Equal(attempts.Count, attempts.Select(a => a.Resource).Distinct().Count());
        Assert.All(attempts, a => Assert.True(a.SameInScope, "a scoped service resolved twice in one attempt should be one instance"));
        var singleton = app.Services.GetRequiredService<SharedCounter>().Id;
        Assert.All(attempts, a => Assert.Equal(singleton, a.Singleton));
        await AssertEachDisposedOnceAsync(attempts);
    }

    [Fact]
    public async Task AddService_AttemptFails_ItsScopeIsDisposedAndTheRetryGetsANewOne()
    {
        await using var app = await StartAsync(fixture.SideEffects);
        await fixture.Server.RegisterDeploymentAsync(app.Http2Uri);

        var response = await fixture.Server.Ingress.PostJsonAsync("/ScopedGreeter/failOnce", null);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("\"recovered\"", response.Body);
        var attempts = Attempts(response.InvocationId!);
        Assert.Equal(2, attempts.Count);
        Assert.NotEqual(attempts[0].Resource, attempts[1].Resource);
        await AssertEachDisposedOnceAsync(attempts);
    }

    [Fact]
    public async Task MapRestate_HandlerLogger_ReachesTheAppsLoggerProvider()
    {
        var logs = new CapturingLoggerProvider();
        await using var app = await StartAsync(fixture.SideEffects, logs: logs);
        await fixture.Server.RegisterDeploymentAsync(app.Http2Uri);
        var name = Guid.NewGuid().ToString("N");

        var response = await fixture.Server.Ingress.PostJsonAsync("/ScopedGreeter/greet", $"\"{name}\"");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Contains(logs.Entries, e => e.Category == "Restate.Handler.ScopedGreeter" && e.Message == $"greeting {name}");
    }

    [Fact]
    public async Task IdentityKeysFromConfiguration_UnsignedRequest_Is401WhileHealthAnswers200()
    {
        await using var app = await StartAsync(fixture.SideEffects, new()
        {
            ["Restate:IdentityKeys:0"] = ServerConfiguration.SigningPublicKey,
        });
        using var http = new HttpClient();

        using var discovery = await http.GetAsync(new Uri(app.Http1Uri, "discover"));
        using var invocation = await http.PostAsync(new Uri(app.Http1Uri, "invoke/ScopedGreeter/greet"), new ByteArrayContent([]));
        using var health = await http.GetAsync(new Uri(app.Http1Uri, "health"));

        Assert.Equal(HttpStatusCode.Unauthorized, discovery.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, invocation.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task IdentityKeysFromConfiguration_MalformedKey_FailsAtMapRestateNamingTheKey()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(fixture.SideEffects, new()
        {
            ["Restate:IdentityKeys:0"] = "publickeyv1_not-a-key",
        }));

        Assert.StartsWith("Configuration 'Restate:IdentityKeys:0' is not a request-identity public key:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProtocolModeFromConfiguration_RequestResponseOverH2c_RegistersAsRequestResponse()
    {
        await using var app = await StartAsync(fixture.SideEffects, new() { ["Restate:ProtocolMode"] = "requestresponse" });
        var deploymentId = await fixture.Server.RegisterDeploymentAsync(app.Http2Uri);

        var deployment = await fixture.DeploymentAsync(deploymentId);

        Assert.Equal("RequestResponse", deployment["protocol_type"]?.GetValue<string>());
    }

    [Fact]
    public async Task ProtocolModeFromConfiguration_UnknownMode_FailsAtMapRestateNamingTheKeyAndTheModes()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(fixture.SideEffects, new() { ["Restate:ProtocolMode"] = "Streaming" }));

        Assert.Equal("Configuration 'Restate:ProtocolMode' is 'Streaming', which is not a protocol mode: use BidiStream or RequestResponse.", error.Message);
    }

    [Fact]
    public async Task OnJournalMismatchFromConfiguration_EndpointWideAndPerHandler_ReachTheEndpoint()
    {
        await using var app = await StartAsync(fixture.SideEffects, new()
        {
            ["Restate:OnJournalMismatch"] = "pause",
            ["Restate:Services:ScopedGreeter:Handlers:greet:OnJournalMismatch"] = "Fail",
        });

        var endpoint = app.Services.GetRequiredService<Restate.Sdk.Endpoint.RestateEndpoint>();
        var handlers = endpoint.Services.Single(s => s.Name == "ScopedGreeter").Handlers;

        Assert.Equal(OnJournalMismatch.Pause, endpoint.OnJournalMismatch);
        Assert.Equal(OnJournalMismatch.Fail, handlers.Single(h => h.Name == "greet").Options?.OnJournalMismatch);
        Assert.Null(handlers.Single(h => h.Name == "internal").Options?.OnJournalMismatch);
    }

    [Fact]
    public async Task OnJournalMismatchFromConfiguration_UnknownValue_FailsAtMapRestateNamingTheKeyAndTheValues()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(fixture.SideEffects, new() { ["Restate:OnJournalMismatch"] = "Ignore" }));

        Assert.Equal("Configuration 'Restate:OnJournalMismatch' is 'Ignore', which is not a journal mismatch behaviour: use Retry, Pause or Fail.", error.Message);
    }

    [Fact]
    public async Task ServiceAndHandlerOptionsFromConfiguration_AfterRegistration_AreWhatTheServerApplies()
    {
        await using var app = await StartAsync(fixture.SideEffects, new()
        {
            ["Restate:Services:ScopedGreeter:InactivityTimeout"] = "00:02:00",
            ["Restate:Services:ScopedGreeter:JournalRetention"] = "1.00:00:00",
            ["Restate:Services:ScopedGreeter:Handlers:greet:RetryMaxAttempts"] = "7",
            ["Restate:Services:ScopedGreeter:Handlers:greet:RetryOnMaxAttempts"] = "Kill",
            ["Restate:Services:ScopedGreeter:Handlers:internal:IngressPrivate"] = "true",
        });
        await fixture.Server.RegisterDeploymentAsync(app.Http2Uri);

        var service = JsonNode.Parse(await fixture.Server.Admin.GetStringAsync("/services/ScopedGreeter"))!;
        var greet = service["handlers"]!.AsArray().Single(h => h!["name"]!.GetValue<string>() == "greet")!;
        var hidden = await fixture.Server.Ingress.PostJsonAsync("/ScopedGreeter/internal", null);
        var visible = await fixture.Server.Ingress.PostJsonAsync("/ScopedGreeter/greet", "\"bob\"");

        Assert.Equal("2m", service["inactivity_timeout"]!.GetValue<string>());
        Assert.Equal("1d", service["journal_retention"]!.GetValue<string>());
        Assert.Equal(7, greet["retry_policy"]!["max_attempts"]!.GetValue<int>());
        Assert.Equal("Kill", greet["retry_policy"]!["on_max_attempts"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, hidden.Status);
        Assert.Equal(HttpStatusCode.OK, visible.Status);
    }

    [Fact]
    public async Task ServiceOptionsFromConfiguration_UnknownService_FailsAtMapRestateNamingTheKeyAndTheServices()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(fixture.SideEffects, new()
        {
            ["Restate:Services:ScopedGreter:InactivityTimeout"] = "00:02:00",
        }));

        Assert.Equal("Configuration 'Restate:Services:ScopedGreter' names no service registered with AddRestate; the services are ScopedGreeter.", error.Message);
    }

    [Fact]
    public async Task HandlerOptionsFromConfiguration_UnknownHandler_FailsAtMapRestateNamingTheKeyAndTheHandlers()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(fixture.SideEffects, new()
        {
            ["Restate:Services:ScopedGreeter:Handlers:greeet:RetryMaxAttempts"] = "3",
        }));

        Assert.Equal("Configuration 'Restate:Services:ScopedGreeter:Handlers:greeet' names no handler of 'ScopedGreeter'; its handlers are greet, failOnce, internal.", error.Message);
    }

    [Fact]
    public async Task HandlerOptionsFromConfiguration_OutOfRange_FailsAtMapRestateNamingTheKeyAndTheRule()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(fixture.SideEffects, new()
        {
            ["Restate:Services:ScopedGreeter:Handlers:greet:RetryMaxAttempts"] = "0",
        }));

        Assert.Equal("Configuration 'Restate:Services:ScopedGreeter' is invalid: Handler 'ScopedGreeter/greet': RetryMaxAttempts is 0: it must be at least 1.", error.Message);
    }

    [Fact]
    public async Task ServiceOptionsFromConfiguration_NotADuration_FailsAtMapRestateNamingTheKey()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(fixture.SideEffects, new()
        {
            ["Restate:Services:ScopedGreeter:InactivityTimeout"] = "five minutes",
        }));

        Assert.Contains("'Restate:Services:ScopedGreeter:InactivityTimeout'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapRestate_WithoutAddRestate_FailsSayingToCallIt()
    {
        await using var app = WebApplication.CreateSlimBuilder().Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapRestate());

        Assert.StartsWith("MapRestate() serves the services registered with builder.Services.AddRestate(...), but AddRestate was not called", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddRestate_WithoutServices_FailsAtMapRestateSayingHowToRegisterThem()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddRestate();
        await using var app = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapRestate());

        Assert.StartsWith("AddRestate registered no services, so there is nothing to serve", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddRestate_SameServiceTwice_FailsAtMapRestateNamingBothRegistrations()
    {
        var builder = WebApplication.CreateSlimBuilder();
        ScopedGreeter.AddDependencies(builder.Services, fixture.SideEffects);
        builder.Services.AddRestate(restate => restate.AddService<ScopedGreeter>());
        builder.Services.AddRestate(restate => restate.AddDefinition(ScopedGreeter.Definition(() => null!)));
        await using var app = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapRestate());

        Assert.Equal(
            "Service 'ScopedGreeter' is registered twice with AddRestate: by AddService<ScopedGreeter>() and by " +
            "AddDefinition(ServiceDefinition 'ScopedGreeter'). A deployment serves each service name once: remove one of the registrations.",
            error.Message);
    }

    private IReadOnlyList<Attempt> Attempts(string invocationId) =>
        [.. fixture.SideEffects.EntriesStartingWith($"enter:{invocationId}:").Select(entry => entry.Split(':') switch
        {
            [_, _, var resource, var singleton, var same] => new Attempt(resource, singleton, bool.Parse(same)),
            _ => throw new FormatException($"Unexpected entry '{entry}'."),
        })];

    /// <summary>
    /// Each attempt's scoped resource is disposed exactly once. The last one is disposed before the response; an
    /// earlier one as its attempt unwinds, which may finish just after the next attempt started, so this waits for it.
    /// </summary>
    private async Task AssertEachDisposedOnceAsync(IReadOnlyList<Attempt> attempts)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (attempts.Any(a => fixture.SideEffects.Count($"dispose:{a.Resource}") == 0) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        Assert.All(attempts, a => Assert.Equal(1, fixture.SideEffects.Count($"dispose:{a.Resource}")));
    }

    private static async Task<ServicesApp> StartAsync(SideEffectLog log, Dictionary<string, string?>? configuration = null,
        ILoggerProvider? logs = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(configuration ?? []);
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
            builder.Logging.AddFilter("Restate.Handler", LogLevel.Information);
        }
        ListenOptions? http2 = null, http1 = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => (http2 = listen).Protocols = HttpProtocols.Http2);
            kestrel.Listen(IPAddress.Loopback, 0, listen => (http1 = listen).Protocols = HttpProtocols.Http1);
        });
        ScopedGreeter.AddDependencies(builder.Services, log);
        builder.Services.AddRestate(restate => restate.AddService<ScopedGreeter>());
        var app = builder.Build();
        try
        {
            app.MapRestate();
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return new ServicesApp(app, new Uri($"http://127.0.0.1:{http2!.IPEndPoint!.Port}/"), new Uri($"http://127.0.0.1:{http1!.IPEndPoint!.Port}/"));
    }

    private sealed record Attempt(string Resource, string Singleton, bool SameInScope);

    private sealed class ServicesApp(WebApplication app, Uri http2Uri, Uri http1Uri) : IAsyncDisposable
    {
        public Uri Http2Uri { get; } = http2Uri;

        public Uri Http1Uri { get; } = http1Uri;

        public IServiceProvider Services => app.Services;

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
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

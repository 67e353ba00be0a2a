using System.Diagnostics;
using System.Net;
using Holiday.Host;
using Holiday.Hosting;
using Holiday.Local;
using Holiday.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Restate.Sdk.Diagnostics;
using Restate.Sdk.Testing;
using Restate.Sdk.Testing.Lambda;
using Restate.Sdk.Testing.Otlp;
using Xunit.Abstractions;

namespace Holiday.Tests;

/// <summary>
/// The Holiday over HTTP with tracing on: restate-server exports to an OTLP receiver inside the test
/// (<c>RESTATE_TRACING_ENDPOINT</c>), and so does the Holiday host (<see cref="HostSettings.OtlpEndpoint"/>).
/// </summary>
public sealed class TracedHolidayFixture : IAsyncLifetime
{
    public const string HostServiceName = "holiday-host";

    private WebApplication? _host;

    public OtlpTraceReceiver Receiver { get; private set; } = null!;

    public DynamoDbLocal Dynamo { get; private set; } = null!;

    public RestateServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Receiver = await OtlpTraceReceiver.StartAsync();
        Dynamo = await HolidayFixture.StartDynamoWithTablesAsync();
        Server = await RestateServer.StartAsync(new RestateServerOptions
        {
            Environment = new Dictionary<string, string>(HolidayFixture.ServerEnvironment)
            {
                ["RESTATE_TRACING_ENDPOINT"] = Receiver.Endpoint.ToString(),
            },
        });
        var port = HolidayFixture.FreePort();
        _host = HolidayHost.Build(new HostSettings(IPAddress.Loopback, port, null, [], Receiver.Endpoint),
            HolidayAws.CreateLocalDependencies(Dynamo.Endpoint));
        await _host.StartAsync();
        await Server.RegisterDeploymentAsync(new Uri($"http://127.0.0.1:{port}/"));
    }

    /// <summary>Exports every span the host has ended so far.</summary>
    public void FlushHostSpans() => Assert.True(_host!.Services.GetRequiredService<TracerProvider>().ForceFlush(30_000));

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            await _host.DisposeAsync();
        }
        await Server.DisposeAsync();
        await Dynamo.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}

/// <summary>
/// The traced tests run one after the other: an in-process tracer provider records every HttpClient call of the test
/// process, so it would also put the other test's ingress calls into traces of its own.
/// </summary>
[CollectionDefinition(Name)]
public sealed class TracingTestGroup
{
    public const string Name = "Tracing";
}

[Collection(TracingTestGroup.Name)]
public sealed class HolidayTracingTests(TracedHolidayFixture fixture, ITestOutputHelper output) : IClassFixture<TracedHolidayFixture>
{
    [Fact]
    public async Task Reserve_WithTracing_IsOneConnectedTraceFromIngressToDynamoDb()
    {
        var tripId = $"trip-{Guid.NewGuid():N}";

        var response = await HolidayFixture.PostAsync(fixture.Server.Ingress, "/trips/reserve", $$"""{"trip_id":"{{tripId}}"}""");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.NotNull(response.InvocationId);
        fixture.FlushHostSpans();
        var trace = await TraceTests.WaitForTripTraceAsync(fixture.Receiver, response.InvocationId, dynamoDbPort: fixture.Dynamo.Endpoint.Port);
        TraceTests.AssertOneConnectedTrace(trace, response.InvocationId, TracedHolidayFixture.HostServiceName,
            fixture.Dynamo.Endpoint.Port, output);
    }
}

/// <summary>
/// The Holiday over the Lambda path with tracing on: restate-server → Lambda emulator → the Native AOT bootstrap (one
/// function per service), all exporting to the test's OTLP receiver. The functions' batch exporter waits an hour between
/// exports, so their spans arrive in time only because the bootstrap flushes before each response.
/// </summary>
public sealed class TracedLambdaHolidayFixture : IAsyncLifetime
{
    public OtlpTraceReceiver Receiver { get; private set; } = null!;

    public DynamoDbLocal Dynamo { get; private set; } = null!;

    public LambdaEmulator Lambda { get; private set; } = null!;

    public RestateServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Receiver = await OtlpTraceReceiver.StartAsync();
        Dynamo = await HolidayFixture.StartDynamoWithTablesAsync();
        var bootstrap = await LambdaBootstrap.EnsurePublishedAsync(null, CancellationToken.None);
        Lambda = await LambdaEmulator.StartAsync(new LambdaEmulatorOptions(), CancellationToken.None);
        foreach (var function in HolidayServices.FunctionNames)
        {
            var environment = LocalSystem.FunctionEnvironment(function, Dynamo.Endpoint, null, Receiver.Endpoint);
            environment["OTEL_BSP_SCHEDULE_DELAY"] = "3600000";
            Lambda.AddFunction(new LambdaFunctionDefinition
            {
                Name = $"holiday-{function}",
                ExecutablePath = bootstrap,
                Environment = environment,
            });
        }
        Server = await RestateServer.StartAsync(new RestateServerOptions
        {
            Environment = new Dictionary<string, string>(Lambda.ClientEnvironment)
            {
                ["RESTATE_TRACING_ENDPOINT"] = Receiver.Endpoint.ToString(),
            },
        });
        foreach (var function in Lambda.Functions)
        {
            await Server.RegisterLambdaAsync(function.Definition.QualifiedArn);
        }
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Lambda.DisposeAsync();
        await Dynamo.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}

[Collection(TracingTestGroup.Name)]
public sealed class LambdaHolidayTracingTests(TracedLambdaHolidayFixture fixture, ITestOutputHelper output)
    : IClassFixture<TracedLambdaHolidayFixture>
{
    [Fact]
    public async Task Reserve_OverLambdaWithTracing_IsOneConnectedTraceAndFunctionsFlushBeforeResponding()
    {
        var tripId = $"trip-{Guid.NewGuid():N}";

        var response = await HolidayFixture.PostAsync(fixture.Server.Ingress, "/trips/reserve", $$"""{"trip_id":"{{tripId}}"}""");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.NotNull(response.InvocationId);
        var trace = await TraceTests.WaitForTripTraceAsync(fixture.Receiver, response.InvocationId, dynamoDbPort: fixture.Dynamo.Endpoint.Port);
        TraceTests.AssertOneConnectedTrace(trace, response.InvocationId, "holiday-", fixture.Dynamo.Endpoint.Port, output);
        // Each function names itself, and describes where it runs.
        var functions = trace.Where(span => span.ServiceName != "Restate").Select(span => span.ServiceName).Distinct().Order();
        Assert.Equal(["holiday-cars", "holiday-flights", "holiday-payments", "holiday-trips"], functions);
        Assert.All(trace.Where(span => span.ServiceName != "Restate"), span =>
        {
            Assert.Equal("aws_lambda", span.ResourceAttributes["cloud.platform"]);
            Assert.Equal(span.ServiceName, span.ResourceAttributes["faas.name"]);
        });
        // The runtime loop's own calls (GET next, POST response) are not traced.
        Assert.DoesNotContain(fixture.Receiver.Spans,
            span => span.StringAttribute("url.full")?.Contains("/2018-06-01/runtime/", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Reserve_WithTheCallersTraceparent_IsTracedUnderTheCallersTraceId()
    {
        // What the README tells users to do to find one trip in X-Ray: pick the trace id, send it, look it up.
        var traceId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        var parentSpanId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..8]);

        var response = await HolidayFixture.PostAsync(fixture.Server.Ingress, "/trips/reserve", "{}",
            new Dictionary<string, string> { ["traceparent"] = $"00-{traceId}-{parentSpanId}-01" });

        Assert.Equal(HttpStatusCode.OK, response.Status);
        // restate-server and the functions export on their own schedules: wait for both ends of the trip.
        var spans = await fixture.Receiver.WaitForSpansAsync(received =>
            received.Any(span => span.TraceId == traceId && span.Name.StartsWith("ingress ", StringComparison.Ordinal))
            && received.Any(span => span.TraceId == traceId && span.Name.StartsWith("attempt payments/", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(90));
        var trace = spans.Where(span => span.TraceId == traceId).ToList();
        var ingress = Assert.Single(trace, span => span.Name.StartsWith("ingress ", StringComparison.Ordinal));
        Assert.Equal(parentSpanId, ingress.ParentSpanId);
        Assert.Equal(response.InvocationId, ingress.StringAttribute(RestateTelemetry.InvocationIdAttribute));
        Assert.Contains(trace, span => span.ServiceName == "holiday-trips" && span.Name == "attempt trips/reserve");
    }

    [Fact]
    public async Task Reserve_OverLambda_TheSagaLogsEachLineOnceThoughItsAttemptsReplay()
    {
        var tripId = $"trip-{Guid.NewGuid():N}";

        var response = await HolidayFixture.PostAsync(fixture.Server.Ingress, "/trips/reserve", $$"""{"trip_id":"{{tripId}}"}""");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var trace = await TraceTests.WaitForTripTraceAsync(fixture.Receiver, response.InvocationId!, dynamoDbPort: fixture.Dynamo.Endpoint.Port);
        // On Lambda every call suspends the saga, so it runs as several attempts, each replaying what came before...
        var sagaAttempts = trace.Count(span => span.Name.StartsWith("attempt trip_saga/", StringComparison.Ordinal));
        Assert.True(sagaAttempts >= 3, $"the saga ran {sagaAttempts} attempts; expected it to suspend and resume");
        // ...yet each of its log lines reaches the function's output once, as JSON with the invocation in its scope.
        var log = fixture.Lambda.GetFunction("holiday-trips").RecentLog;
        var booking = Assert.Single(log, line => line.Contains($"Booking trip {tripId} (run_type none)", StringComparison.Ordinal));
        Assert.Single(log, line => line.Contains($"Trip {tripId} booked: flight ", StringComparison.Ordinal));
        Assert.Contains("\"restate.invocation.target\"", booking, StringComparison.Ordinal);
        Assert.Contains($"trip_saga/{tripId}/book", booking, StringComparison.Ordinal);
        // The line names its trace: from a log line in CloudWatch to the whole trip in X-Ray.
        Assert.Contains($"\"TraceId\":\"{trace[0].TraceId}\"", booking, StringComparison.Ordinal);
    }
}

/// <summary>What a traced trip must look like, over HTTP and over Lambda alike.</summary>
internal static class TraceTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    /// <summary>The SDK spans every trip has, by target prefix: one per service the saga goes through.</summary>
    private static readonly string[] ExpectedAttempts =
        ["attempt trips/", "attempt trip_saga/", "attempt flights/", "attempt cars/", "attempt payments/"];

    /// <summary>
    /// Waits until the trace of the trip started by <paramref name="invocationId"/> is complete: an SDK attempt span
    /// under every server attempt span, every service visited, every parent present, and DynamoDB calls recorded.
    /// </summary>
    public static async Task<IReadOnlyList<ReceivedSpan>> WaitForTripTraceAsync(OtlpTraceReceiver receiver, string invocationId, int dynamoDbPort)
    {
        var ingress = await receiver.WaitForSpanAsync(
            span => span.Name.StartsWith("ingress ", StringComparison.Ordinal)
                && span.StringAttribute(RestateTelemetry.InvocationIdAttribute) == invocationId,
            Deadline);
        var spans = await receiver.WaitForSpansAsync(received =>
        {
            var trace = received.Where(span => span.TraceId == ingress.TraceId).ToList();
            var serverAttempts = trace.Where(span => span.Name.StartsWith("invocation-attempt ", StringComparison.Ordinal)).ToList();
            var ids = trace.Select(span => span.SpanId).ToHashSet();
            return ExpectedAttempts.All(prefix => trace.Any(span => span.Name.StartsWith(prefix, StringComparison.Ordinal)))
                && trace.All(span => span.ParentSpanId is null || ids.Contains(span.ParentSpanId))
                && serverAttempts.All(server => trace.Any(span => span.ParentSpanId == server.SpanId))
                && trace.Any(span => IsDynamoDbCall(span, dynamoDbPort));
        }, Deadline);
        return [.. spans.Where(span => span.TraceId == ingress.TraceId)];
    }

    public static void AssertOneConnectedTrace(IReadOnlyList<ReceivedSpan> trace, string invocationId, string servicesName,
        int dynamoDbPort, ITestOutputHelper output)
    {
        foreach (var span in trace.OrderBy(span => span.Start))
        {
            output.WriteLine(span.ToString());
        }

        // Connected: one root (the ingress call, or the client span of whoever called it) and every parent present.
        var byId = trace.ToDictionary(span => span.SpanId);
        Assert.Single(trace, span => span.ParentSpanId is null);
        Assert.All(trace.Where(span => span.ParentSpanId is not null), span => Assert.Contains(span.ParentSpanId!, byId));
        var server = trace.Where(span => span.ServiceName == "Restate").ToList();
        var services = trace.Where(span => span.ServiceName != "Restate").ToList();
        Assert.Contains(server, span => span.StringAttribute(RestateTelemetry.InvocationIdAttribute) == invocationId);
        Assert.All(services, span => Assert.StartsWith(servicesName, span.ServiceName, StringComparison.Ordinal));

        var attempts = services.Where(span => span.Name.StartsWith("attempt ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(attempts);
        Assert.All(attempts, attempt =>
        {
            Assert.Equal(ActivityKind.Server, attempt.Kind);
            Assert.StartsWith("inv_", attempt.StringAttribute(RestateTelemetry.InvocationIdAttribute), StringComparison.Ordinal);
            var target = attempt.StringAttribute(RestateTelemetry.InvocationTargetAttribute);
            Assert.NotNull(target);
            Assert.StartsWith($"attempt {target.Split('/')[0]}/", attempt.Name, StringComparison.Ordinal);
            // The parent is the server's span of this very attempt.
            var parent = byId[attempt.ParentSpanId!];
            Assert.Equal("Restate", parent.ServiceName);
            Assert.Equal(attempt.StringAttribute(RestateTelemetry.InvocationIdAttribute),
                parent.StringAttribute(RestateTelemetry.InvocationIdAttribute));
        });

        var runs = services.Where(span => span.Name.StartsWith("run (", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(runs);
        Assert.All(runs, run =>
        {
            var parent = byId[run.ParentSpanId!];
            Assert.Contains(parent, attempts);
            Assert.Equal(run.Name, $"run ({run.StringAttribute(RestateTelemetry.RunNameAttribute)})");
        });

        var dynamoDbCalls = services.Where(span => IsDynamoDbCall(span, dynamoDbPort)).ToList();
        Assert.NotEmpty(dynamoDbCalls);
        Assert.All(dynamoDbCalls, call =>
        {
            Assert.Equal(ActivityKind.Client, call.Kind);
            Assert.StartsWith($"http://127.0.0.1:{dynamoDbPort}/", call.StringAttribute("url.full"), StringComparison.Ordinal);
            Assert.Contains(byId[call.ParentSpanId!], runs);
        });
    }

    private static bool IsDynamoDbCall(ReceivedSpan span, int dynamoDbPort) =>
        span.Kind == ActivityKind.Client
        && span.Attributes.TryGetValue("server.port", out var port) && port is long value && value == dynamoDbPort;
}

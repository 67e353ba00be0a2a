using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Restate.Sdk.Diagnostics;
using Restate.Sdk.Testing;
using Restate.Sdk.TestServices;

namespace Restate.Sdk.IntegrationTests;

/// <summary>
/// The SDK's spans and its replay-aware logger, with a handler that suspends on a timer (the server's inactivity
/// timeout is 0, so every await suspends and the handler is replayed from its journal on the next attempt).
/// </summary>
public sealed class TelemetryTests : IAsyncLifetime, IDisposable
{
    private readonly string _workDir = Directory.CreateTempSubdirectory("restate-telemetry-it-").FullName;
    private readonly CapturingLoggerProvider _logs = new();
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ActivityListener _listener;
    private RestateServer _server = null!;
    private TestServicesHost _services = null!;

    public TelemetryTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == RestateTelemetry.ActivitySourceName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public async Task InitializeAsync()
    {
        _server = await RestateServer.StartAsync(new RestateServerOptions
        {
            // With a tracing endpoint the server traces invocations and sends each attempt a traceparent. Nothing listens
            // there: exports fail quietly, the propagation is what these tests check.
            Environment = new Dictionary<string, string>(ServerConfiguration.AlwaysSuspending.Environment)
            {
                ["RESTATE_TRACING_ENDPOINT"] = $"http://127.0.0.1:{TestServicesHost.FreePort()}",
            },
        });
        _services = await TestServicesHost.StartAsync(new SideEffectLog(Path.Combine(_workDir, "effects.log")), handlerLogs: _logs);
        await _server.RegisterDeploymentAsync(_services.Http2Uri);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _server.DisposeAsync();
    }

    public void Dispose()
    {
        _listener.Dispose();
        Directory.Delete(_workDir, recursive: true);
    }

    [Fact]
    public async Task SuspendingHandler_LogsEachLineOnce_WithInvocationScope()
    {
        var tag = Guid.NewGuid().ToString("N");
        var (status, _, invocationId) = await PostAsync("/Telemetry/logAroundSleep", $"\"{tag}\"");
        Assert.Equal(HttpStatusCode.OK, status);

        // The handler ran more than once (it suspended on the timer), yet each line was written once.
        Assert.True(AttemptsOf(invocationId!).Count >= 2, "expected the handler to suspend and be replayed");
        var lines = _logs.Entries.Where(e => e.Message.EndsWith(tag, StringComparison.Ordinal)).ToList();
        Assert.Equal([$"before sleep {tag}", $"after sleep {tag}"], lines.Select(e => e.Message));
        Assert.All(lines, line =>
        {
            Assert.Equal("Restate.Handler.Telemetry", line.Category);
            Assert.Equal(invocationId, line.Scope[RestateTelemetry.InvocationIdAttribute]);
            Assert.Equal("Telemetry/logAroundSleep", line.Scope[RestateTelemetry.InvocationTargetAttribute]);
        });
    }

    [Fact]
    public async Task Attempts_AreServerSpansOfOneTrace_RunSpanIsChildOfItsAttempt()
    {
        var response = await PostAsync("/Telemetry/logAroundSleep", $"\"{Guid.NewGuid():N}\"");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("\"run (step)\"", response.Body); // inside the run, the run span is Activity.Current
        var invocationId = response.InvocationId;

        var attempts = AttemptsOf(invocationId!);
        Assert.True(attempts.Count >= 2);
        Assert.All(attempts, attempt =>
        {
            Assert.Equal("attempt Telemetry/logAroundSleep", attempt.DisplayName);
            Assert.Equal(ActivityKind.Server, attempt.Kind);
            Assert.Equal("Telemetry/logAroundSleep", attempt.GetTagItem(RestateTelemetry.InvocationTargetAttribute));
        });
        // Every attempt continues the trace restate-server started at the ingress (its traceparent header).
        Assert.Single(attempts.Select(attempt => attempt.TraceId).Distinct());
        Assert.All(attempts, attempt => Assert.NotEqual(default, attempt.ParentSpanId));
        var run = Assert.Single(_spans, span => span.DisplayName == "run (step)"
            && (string?)span.GetTagItem(RestateTelemetry.InvocationIdAttribute) == invocationId);
        Assert.Equal("step", run.GetTagItem(RestateTelemetry.RunNameAttribute));
        var parent = Assert.Single(attempts, attempt => attempt.SpanId == run.ParentSpanId);
        Assert.Equal(parent.TraceId, run.TraceId);
    }

    private List<Activity> AttemptsOf(string invocationId) =>
        [.. _spans.Where(span => span.Kind == ActivityKind.Server
            && (string?)span.GetTagItem(RestateTelemetry.InvocationIdAttribute) == invocationId)];

    private Task<IngressResponse> PostAsync(string path, string json) => _server.Ingress.PostJsonAsync(path, json);

    private sealed record LogEntry(string Category, string Message, IReadOnlyDictionary<string, object?> Scope);

    /// <summary>Records every entry with the key/value scopes active when it was written.</summary>
    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<LogEntry> _entries = new();
        private readonly AsyncLocal<ImmutableScope?> _scope = new();

        public IReadOnlyList<LogEntry> Entries => [.. _entries];

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed record ImmutableScope(object State, ImmutableScope? Parent);

        private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
        {
            public IDisposable BeginScope<TState>(TState state)
                where TState : notnull
            {
                var previous = owner._scope.Value;
                owner._scope.Value = new ImmutableScope(state, previous);
                return new Pop(() => owner._scope.Value = previous);
            }

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var scope = new Dictionary<string, object?>();
                for (var s = owner._scope.Value; s is not null; s = s.Parent)
                {
                    if (s.State is IEnumerable<KeyValuePair<string, object?>> pairs)
                    {
                        foreach (var (key, value) in pairs)
                        {
                            scope.TryAdd(key, value);
                        }
                    }
                }
                owner._entries.Enqueue(new LogEntry(category, formatter(state, exception), scope));
            }
        }

        private sealed class Pop(Action pop) : IDisposable
        {
            public void Dispose() => pop();
        }
    }
}

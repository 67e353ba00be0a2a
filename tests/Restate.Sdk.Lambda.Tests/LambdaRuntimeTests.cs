using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Restate.Sdk.Definitions;
using Restate.Sdk.Endpoint;

namespace Restate.Sdk.Lambda.Tests;

/// <summary>
/// The custom-runtime loop against a fake Lambda Runtime API on 127.0.0.1. One class, so its tests run one at a time:
/// the loop sets the process-wide <c>_X_AMZN_TRACE_ID</c>.
/// </summary>
public sealed class LambdaRuntimeTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(500);

    private readonly CancellationTokenSource _stop = new();
    private FakeRuntimeApi _api = null!;

    public async Task InitializeAsync() => _api = await FakeRuntimeApi.StartAsync();

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _api.DisposeAsync();
    }

    public void Dispose() => _stop.Dispose();

    [Fact]
    public async Task Run_Success_PostsTheResponseForTheRightRequestId()
    {
        LambdaInvocation? seen = null;
        var run = StartLoop((invocation, _) =>
        {
            seen = invocation;
            return Task.FromResult(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(invocation.Payload).ToUpperInvariant()));
        });
        var deadline = DateTimeOffset.UtcNow.AddMinutes(5);

        _api.Enqueue("req-1", "{\"hello\":1}", deadline);
        var posted = await _api.NextPostAsync();

        Assert.Equal(new Posted(PostKind.Response, "req-1", null, posted.Body), posted);
        Assert.Equal("{\"HELLO\":1}", posted.Text);
        Assert.NotNull(seen);
        Assert.Equal("req-1", seen.RequestId);
        Assert.Equal(deadline.ToUnixTimeMilliseconds(), seen.Deadline?.ToUnixTimeMilliseconds());
        Assert.Equal("arn:aws:lambda:us-east-1:123456789012:function:restate-test:1", seen.FunctionArn);
        await StopAsync(run, expectedExitCode: 0);
    }

    [Fact]
    public async Task Run_HandlerThrows_PostsTheErrorAndServesTheNextEvent()
    {
        var run = StartLoop((invocation, _) => invocation.RequestId == "req-bad"
            ? throw new InvalidOperationException("boom")
            : Task.FromResult(invocation.Payload));

        _api.Enqueue("req-bad", "{}");
        _api.Enqueue("req-good", "{\"ok\":true}");
        var error = await _api.NextPostAsync();
        var response = await _api.NextPostAsync();

        Assert.Equal(PostKind.Error, error.Kind);
        Assert.Equal("req-bad", error.RequestId);
        Assert.Equal("InvalidOperationException", error.ErrorType);
        using var body = JsonDocument.Parse(error.Body);
        Assert.Equal("boom", body.RootElement.GetProperty("errorMessage").GetString());
        Assert.Equal("InvalidOperationException", body.RootElement.GetProperty("errorType").GetString());
        Assert.Equal(JsonValueKind.Array, body.RootElement.GetProperty("stackTrace").ValueKind);
        Assert.Equal((PostKind.Response, "req-good", "{\"ok\":true}"), (response.Kind, response.RequestId, response.Text));
        await StopAsync(run, expectedExitCode: 0);
    }

    [Fact]
    public async Task Run_ConfigureThrows_PostsInitErrorAndReturnsNonZero()
    {
        // A malformed identity key is the typical configuration error: Build() throws ArgumentException.
        var exitCode = await RestateLambda.RunAsync(
            _ => Task.FromResult(RestateEndpoint.CreateBuilder()
                .Bind(TestEndpoints.Echo().Services[0])
                .WithIdentityKeys("publickeyv1_not-a-key")
                .Build()),
            _api.Address, Margin, _stop.Token).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, exitCode);
        var posted = await _api.NextPostAsync();
        Assert.Equal(PostKind.InitError, posted.Kind);
        Assert.Equal("ArgumentException", posted.ErrorType);
        using var body = JsonDocument.Parse(posted.Body);
        Assert.Equal("ArgumentException", body.RootElement.GetProperty("errorType").GetString());
        Assert.Contains("publickeyv1_", body.RootElement.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, _api.NextCalls);
    }

    [Fact]
    public async Task Run_DeadlineApproaches_CancelsTheHandlersTokenJustBefore()
    {
        // On a fake clock, so the test checks the instant the token fires, not how fast a loaded machine runs it.
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20_000));
        var waiting = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        DateTimeOffset? cancelledAt = null;
        var run = StartLoop(async (_, cancellationToken) =>
        {
            waiting.SetResult(cancellationToken);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                cancelledAt = clock.GetUtcNow();
            }
            return Encoding.UTF8.GetBytes("cancelled");
        }, clock);
        var deadline = clock.GetUtcNow().AddHours(1);

        _api.Enqueue("req-slow", "{}", deadline);
        var token = await waiting.Task.WaitAsync(TimeSpan.FromSeconds(30));
        clock.Advance(TimeSpan.FromHours(1) - Margin - TimeSpan.FromMilliseconds(1));
        var cancelledEarly = token.IsCancellationRequested;
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var posted = await _api.NextPostAsync();

        Assert.False(cancelledEarly);
        Assert.Equal((PostKind.Response, "req-slow", "cancelled"), (posted.Kind, posted.RequestId, posted.Text));
        Assert.Equal(deadline - Margin, cancelledAt);
        await StopAsync(run, expectedExitCode: 0);
    }

    [Fact]
    public async Task Run_TraceIdHeader_IsInTheEnvironmentDuringTheInvocation()
    {
        var run = StartLoop((_, _) =>
            Task.FromResult(Encoding.UTF8.GetBytes(Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID") ?? "(none)")));
        const string trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";

        _api.Enqueue("req-traced", "{}", traceId: trace);
        var traced = await _api.NextPostAsync();
        _api.Enqueue("req-untraced", "{}");
        var untraced = await _api.NextPostAsync();

        Assert.Equal(trace, traced.Text);
        Assert.Equal("(none)", untraced.Text);
        await StopAsync(run, expectedExitCode: 0);
    }

    [Fact]
    public async Task Run_ResponseOverTheLimit_PostsAnError()
    {
        _api.MaxResponseBytes = 1024;
        var run = StartLoop((_, _) => Task.FromResult(new byte[4096]));

        _api.Enqueue("req-big", "{}");
        var posted = await _api.NextPostAsync();

        Assert.Equal((PostKind.Error, "req-big", "Function.ResponseSizeTooLong"), (posted.Kind, posted.RequestId, posted.ErrorType));
        await StopAsync(run, expectedExitCode: 0);
    }

    [Fact]
    public async Task Run_RestateInvocationWithLargeJournal_RoundTrips()
    {
        // Over 6 MB of journal: the event is about 8.7 MB of JSON (base64), and so is the response.
        var text = TestEndpoints.Letters(6_500_000);
        var run = RestateLambda.RunAsync(_ => Task.FromResult(TestEndpoints.Echo()), _api.Address, Margin, _stop.Token);
        var request = TestEndpoints.Invoke("echo", TestFrames.Invocation($"\"{text}\""));

        _api.Enqueue("req-large", JsonSerializer.SerializeToUtf8Bytes(request, LambdaJsonContext.Default.ApiGatewayProxyRequest));
        var posted = await _api.NextPostAsync();

        Assert.Equal((PostKind.Response, "req-large"), (posted.Kind, posted.RequestId));
        Assert.True(posted.Body.Length > 8_000_000, $"response of {posted.Body.Length} bytes");
        var response = JsonSerializer.Deserialize(posted.Body, LambdaJsonContext.Default.ApiGatewayProxyResponse);
        Assert.NotNull(response);
        Assert.Equal(200, response.StatusCode);
        Assert.Equal($"\"{text}\"", TestFrames.OutputValue(TestEndpoints.Body(response)));
        await StopAsync(run, expectedExitCode: 0);
    }

    [Fact]
    public async Task Run_RestateDiscoveryEvent_AnswersTheManifestAsJson()
    {
        var run = RestateLambda.RunAsync(_ => Task.FromResult(TestEndpoints.Echo()), _api.Address, Margin, _stop.Token);

        // Exactly what restate-server 1.7 sends to discover a Lambda deployment.
        _api.Enqueue("req-discover", """
            {"path":"/discover","httpMethod":"GET","headers":{"accept":"application/vnd.restate.endpointmanifest.v1+json, application/vnd.restate.endpointmanifest.v2+json, application/vnd.restate.endpointmanifest.v3+json, application/vnd.restate.endpointmanifest.v4+json","x-restate-cluster-name":"localcluster"},"body":"","isBase64Encoded":true}
            """);
        var posted = await _api.NextPostAsync();

        using var json = JsonDocument.Parse(posted.Body);
        var root = json.RootElement;
        Assert.Equal(200, root.GetProperty("statusCode").GetInt32());
        Assert.True(root.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal("application/vnd.restate.endpointmanifest.v4+json", root.GetProperty("headers").GetProperty("content-type").GetString());
        using var manifest = JsonDocument.Parse(Convert.FromBase64String(root.GetProperty("body").GetString()!));
        Assert.Equal("zstd", manifest.RootElement.GetProperty("lambdaCompression").GetString());
        await StopAsync(run, expectedExitCode: 0);
    }

    [Fact]
    public async Task Run_EventIsNotJson_PostsAnErrorAndContinues()
    {
        var run = RestateLambda.RunAsync(_ => Task.FromResult(TestEndpoints.Echo()), _api.Address, Margin, _stop.Token);

        _api.Enqueue("req-garbage", "this is not json");
        var posted = await _api.NextPostAsync();

        Assert.Equal((PostKind.Error, "req-garbage"), (posted.Kind, posted.RequestId));
        Assert.Contains("Json", posted.ErrorType, StringComparison.Ordinal);
        _api.Enqueue("req-discover", """{"path":"/discover","httpMethod":"GET","headers":{"accept":"application/vnd.restate.endpointmanifest.v4+json"},"body":"","isBase64Encoded":true}""");
        Assert.Equal(PostKind.Response, (await _api.NextPostAsync()).Kind);
        await StopAsync(run, expectedExitCode: 0);
    }

    [Fact]
    public async Task Run_BeforeResponseCallback_RunsForEveryInvocationBeforeItsResponseIsPosted()
    {
        var postsSeenByCallback = new List<int>();
        var run = RestateLambda.RunAsync(_ => Task.FromResult(TestEndpoints.Echo()), _api.Address, Margin, _stop.Token,
            beforeResponseAsync: _ =>
            {
                postsSeenByCallback.Add(_api.PostCount);
                return Task.CompletedTask;
            });

        _api.Enqueue("req-discover", """{"path":"/discover","httpMethod":"GET","headers":{"accept":"application/vnd.restate.endpointmanifest.v4+json"},"body":"","isBase64Encoded":true}""");
        Assert.Equal(PostKind.Response, (await _api.NextPostAsync()).Kind);
        _api.Enqueue("req-garbage", "this is not json");
        Assert.Equal(PostKind.Error, (await _api.NextPostAsync()).Kind);

        // Each time, the callback ran while nothing of that invocation had been posted yet.
        Assert.Equal([0, 1], postsSeenByCallback);
        await StopAsync(run, expectedExitCode: 0);
    }

    [Fact]
    public async Task Run_BeforeResponseCallbackThrows_ResponseIsStillPosted()
    {
        var run = RestateLambda.RunAsync(_ => Task.FromResult(TestEndpoints.Echo()), _api.Address, Margin, _stop.Token,
            beforeResponseAsync: _ => throw new InvalidOperationException("exporter down"));

        _api.Enqueue("req-discover", """{"path":"/discover","httpMethod":"GET","headers":{"accept":"application/vnd.restate.endpointmanifest.v4+json"},"body":"","isBase64Encoded":true}""");
        var posted = await _api.NextPostAsync();

        Assert.Equal((PostKind.Response, "req-discover"), (posted.Kind, posted.RequestId));
        await StopAsync(run, expectedExitCode: 0);
    }

    [Fact]
    public async Task RunAsync_OutsideLambda_ThrowsWithGuidance()
    {
        Assert.Null(Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RestateLambda.RunAsync(() => TestEndpoints.Echo()));

        Assert.Contains("AWS_LAMBDA_RUNTIME_API", error.Message, StringComparison.Ordinal);
    }

    private Task<int> StartLoop(LambdaFunction function, TimeProvider? clock = null)
    {
        var client = new LambdaRuntimeClient(_api.Address);
        return RunAndDispose();

        async Task<int> RunAndDispose()
        {
            using (client)
            {
                return await LambdaRuntime.RunAsync(client, _ => Task.FromResult(function), Margin, _stop.Token, clock);
            }
        }
    }

    private async Task StopAsync(Task<int> run, int expectedExitCode)
    {
        await _stop.CancelAsync();
        Assert.Equal(expectedExitCode, await run.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}

using Microsoft.Extensions.DependencyInjection;
using Restate.Sdk.Client;
using Restate.Sdk.TestServices;

namespace Restate.Sdk.IntegrationTests;

/// <summary>
/// <see cref="RestateClient"/> against the real restate-server's ingress, with the test services registered over
/// HTTP/2 (bidirectional) and HTTP/1.1 (request/response): the derived classes at the bottom.
/// </summary>
public abstract class RestateClientTests(SdkFixture fixture) : IDisposable
{
    private static readonly Serde<AddResult> AddResultSerde = Serde.Json(TestJson.Default.AddResult);
    private static readonly Serde<SignupResult> SignupResultSerde = Serde.Json(TestJson.Default.SignupResult);
    private readonly RestateClient _client = RestateClient.Create(fixture.Server.IngressUri, TimeSpan.FromMinutes(1));

    private static string NewKey() => Guid.NewGuid().ToString("N");

    public void Dispose()
    {
        _client.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task CallAsync_ObjectHandler_ReturnsTheTypedResponse()
    {
        var key = NewKey();

        var first = await _client.CallAsync(Target.ForObject("Counter", key, "add"), 5L, Serde.Int64, AddResultSerde);
        var total = await _client.CallAsync(Target.ForObject("Counter", key, "get"), Serde.Int64);

        Assert.Equal(new AddResult(0, 5), first);
        Assert.Equal(5, total);
    }

    [Fact]
    public async Task CallAsync_SameIdempotencyKey_RunsOnceAndAnswersTheFirstResult()
    {
        var key = NewKey();
        var options = new CallOptions { IdempotencyKey = NewKey() };

        var first = await _client.CallAsync(Target.ForObject("Counter", key, "add"), 3L, Serde.Int64, AddResultSerde, options);
        var second = await _client.CallAsync(Target.ForObject("Counter", key, "add"), 3L, Serde.Int64, AddResultSerde, options);
        var attached = await _client.AttachAsync(Target.ForObject("Counter", key, "add"), options.IdempotencyKey, AddResultSerde);

        Assert.Equal(first, second);
        Assert.Equal(first, attached);
        Assert.Equal(3, await _client.CallAsync(Target.ForObject("Counter", key, "get"), Serde.Int64));
    }

    [Fact]
    public async Task CallAsync_HeadersAndNonAsciiValues_ReachTheHandlerAsTheyAre()
    {
        var described = await _client.CallAsync(Target.ForService("Introspection", "describe"), "zürich", Serde.String, Serde.String,
            new CallOptions { Headers = new Dictionary<string, string> { ["x-test"] = "from-the-client" } });

        Assert.StartsWith("target=Introspection/describe key=- body=\"zürich\" x-test=from-the-client", described, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallAsync_TerminalFailure_ThrowsTerminalExceptionWithCodeMessageAndMetadata()
    {
        var error = await Assert.ThrowsAsync<TerminalException>(() =>
            _client.CallAsync(Target.ForObject("Configured", NewKey(), "fail"), "no stock", Serde.String));

        Assert.Equal(409, error.Code);
        Assert.Equal("no stock", error.Message);
        Assert.Equal("R42", error.Metadata["reason-code"]);
    }

    [Fact]
    public async Task CallAsync_HandlerTerminalFailureWith503_IsAPlainTerminalExceptionNotAnIngressOne()
    {
        var error = await Assert.ThrowsAsync<TerminalException>(() =>
            _client.CallAsync(Target.ForObject("Configured", NewKey(), "failWith"), 503, Serde.Int32, Serde.String));

        Assert.Equal(503, error.Code);
        Assert.Equal("the handler failed with 503", error.Message);
    }

    [Theory]
    [InlineData("/NoSuchService/handle", 404, "service 'NoSuchService' not found")]
    [InlineData("/Configured/k/internal", 400, "the invoked service is not public")]
    public async Task CallAsync_RefusedByTheIngress_ThrowsRestateIngressExceptionWithItsStatusNotTransient(string path, int status, string message)
    {
        var segments = path.Trim('/').Split('/');
        var target = segments.Length == 3 ? Target.ForObject(segments[0], segments[1], segments[2]) : Target.ForService(segments[0], segments[1]);

        var error = await Assert.ThrowsAsync<RestateIngressException>(() => _client.CallAsync(target, Serde.String));

        Assert.Equal(status, error.Code);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task CallAsync_BodyTheHandlersSerdeCannotRead_IsTheInvocations400_WhileAContentTypeTheIngressRefusesIsTheIngresss()
    {
        var key = NewKey();

        var unreadable = await Assert.ThrowsAsync<TerminalException>(() => _client.CallAsync(Target.ForObject("Counter", key, "add"),
            "not json"u8.ToArray(), Serde.Bytes, AddResultSerde, new CallOptions { Headers = new Dictionary<string, string> { ["content-type"] = "application/json" } }));
        var refused = await Assert.ThrowsAsync<RestateIngressException>(() => _client.CallAsync(Target.ForObject("Counter", key, "add"),
            "5"u8.ToArray(), Serde.Bytes, AddResultSerde, new CallOptions { Headers = new Dictionary<string, string> { ["content-type"] = "text/plain" } }));

        Assert.Equal(400, unreadable.Code);
        Assert.Contains("cannot read it as Int64", unreadable.Message, StringComparison.Ordinal);
        Assert.Equal(400, refused.Code);
        Assert.Contains("does not match 'application/json'", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_WithIdempotencyKey_StartsOneInvocation_AndItsOutputIsReadableById()
    {
        var key = NewKey();
        var options = new SendOptions { IdempotencyKey = NewKey() };

        var sent = await _client.SendAsync(Target.ForObject("Counter", key, "add"), 7L, Serde.Int64, options);
        var again = await _client.SendAsync(Target.ForObject("Counter", key, "add"), 7L, Serde.Int64, options);
        var result = await _client.AttachAsync(sent.InvocationId, AddResultSerde);
        var output = await _client.GetOutputAsync(sent.InvocationId, AddResultSerde);

        Assert.StartsWith("inv_", sent.InvocationId, StringComparison.Ordinal);
        Assert.False(sent.PreviouslyAccepted);
        Assert.Equal(sent.InvocationId, again.InvocationId);
        Assert.True(again.PreviouslyAccepted);
        Assert.Equal(new AddResult(0, 7), result);
        Assert.Equal(new InvocationOutput<AddResult>(true, new AddResult(0, 7)), output);
    }

    [Fact]
    public async Task SendAsync_WithDelay_IsScheduledAndNotReadyUntilItRan()
    {
        var key = NewKey();

        var sent = await _client.SendAsync(Target.ForObject("Counter", key, "add"), 1L, Serde.Int64, new SendOptions { Delay = TimeSpan.FromHours(1) });
        var output = await _client.GetOutputAsync(sent.InvocationId, AddResultSerde);

        Assert.NotNull(sent.ExecutionTime);
        Assert.InRange(sent.ExecutionTime.Value - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(55), TimeSpan.FromMinutes(61));
        Assert.False(output.IsReady);
        Assert.Equal(0, await _client.CallAsync(Target.ForObject("Counter", key, "get"), Serde.Int64));
    }

    [Fact]
    public async Task GetOutputAsync_ByIdempotencyKey_NotReadyWhileDelayedThenTheResultOfACompletedOne()
    {
        var (delayedKey, doneKey) = (NewKey(), NewKey());
        var delayed = new SendOptions { IdempotencyKey = NewKey(), Delay = TimeSpan.FromHours(1) };
        var done = new CallOptions { IdempotencyKey = NewKey() };

        await _client.SendAsync(Target.ForObject("Counter", delayedKey, "add"), 1L, Serde.Int64, delayed);
        var result = await _client.CallAsync(Target.ForObject("Counter", doneKey, "add"), 2L, Serde.Int64, AddResultSerde, done);
        var pending = await _client.GetOutputAsync(Target.ForObject("Counter", delayedKey, "add"), delayed.IdempotencyKey, AddResultSerde);
        var output = await _client.GetOutputAsync(Target.ForObject("Counter", doneKey, "add"), done.IdempotencyKey, AddResultSerde);
        var unknown = await Assert.ThrowsAsync<RestateIngressException>(() =>
            _client.GetOutputAsync(Target.ForObject("Counter", doneKey, "add"), NewKey(), AddResultSerde));
        // restate-server reports an attach to an unknown idempotency key as the invocation's outcome, not as the ingress's.
        var unknownAttach = await Assert.ThrowsAsync<TerminalException>(() =>
            _client.AttachAsync(Target.ForObject("Counter", doneKey, "add"), NewKey(), AddResultSerde));

        Assert.False(pending.IsReady);
        Assert.Equal(new InvocationOutput<AddResult>(true, result), output);
        Assert.Equal((404, false), (unknown.Code, unknown.IsTransient));
        Assert.Equal(404, unknownAttach.Code);
    }

    [Fact]
    public async Task Workflow_SubmitThenCompleteItsPromise_AttachAndOutputReturnTheResult()
    {
        var key = NewKey();

        var submitted = await _client.SubmitWorkflowAsync("Signup", key, "run", "ada@example.com", Serde.String);
        var resubmitted = await _client.SubmitWorkflowAsync("Signup", key, "run", "ada@example.com", Serde.String);
        var pending = await _client.GetWorkflowOutputAsync("Signup", key, SignupResultSerde);
        var accepted = await _client.CallAsync(Target.ForWorkflow("Signup", key, "confirm"), "s3cret", Serde.String, Serde.String);
        var result = await _client.AttachWorkflowAsync("Signup", key, SignupResultSerde);
        var output = await _client.GetWorkflowOutputAsync("Signup", key, SignupResultSerde);

        Assert.Equal(submitted.InvocationId, resubmitted.InvocationId);
        Assert.True(resubmitted.PreviouslyAccepted);
        Assert.False(pending.IsReady);
        Assert.Equal("accepted", accepted);
        Assert.Equal(new SignupResult("ada@example.com", "s3cret"), result);
        Assert.Equal(result, output.Value);
    }

    [Fact]
    public async Task Awakeables_ResolvedOrRejectedFromOutside_ResumeTheirHandlers()
    {
        var resolvedBox = NewKey();
        var rejectedBox = NewKey();
        var resolved = await _client.SendAsync(Target.ForService("Awaiter", "wait"), resolvedBox, Serde.String);
        var rejected = await _client.SendAsync(Target.ForService("Awaiter", "wait"), rejectedBox, Serde.String);

        await _client.ResolveAwakeableAsync(await fixture.WaitForMailboxAsync(resolvedBox), "from outside", Serde.String);
        await _client.RejectAwakeableAsync(await fixture.WaitForMailboxAsync(rejectedBox), "declined outside");

        Assert.Equal("resolved:from outside", await _client.AttachAsync(resolved.InvocationId, Serde.String));
        Assert.Equal("rejected:500:declined outside", await _client.AttachAsync(rejected.InvocationId, Serde.String));
    }

    [Fact]
    public async Task AttachAsync_Cancelled_StopsWaitingWhileTheInvocationGoesOn()
    {
        var box = NewKey();
        var sent = await _client.SendAsync(Target.ForService("Awaiter", "wait"), box, Serde.String);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _client.AttachAsync(sent.InvocationId, Serde.String, cancel.Token));
        await _client.ResolveAwakeableAsync(await fixture.WaitForMailboxAsync(box), "later", Serde.String);

        Assert.Equal("resolved:later", await _client.AttachAsync(sent.InvocationId, Serde.String));
    }

    [Fact]
    public async Task TypedHttpClient_FromIHttpClientFactory_CallsTheIngress()
    {
        var services = new ServiceCollection();
        services.AddHttpClient<RestateClient>(http => http.BaseAddress = fixture.Server.IngressUri);
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<RestateClient>();

        Assert.Equal("\"Hello Ada!\"", "\"" + await client.CallAsync(Target.ForService("Greeter", "greet"), "Ada", Serde.String, Serde.String) + "\"");
    }

    [Theory]
    [InlineData("content-type", "not a media type", "Header 'content-type' is not a media type: 'not a media type'.")]
    [InlineData("content-length", "3", "Header 'content-length' cannot be sent on a request")]
    public async Task Call_WithAHeaderThatCannotBeSent_SaysWhichAndWhy(string name, string value, string message)
    {
        var options = new CallOptions { Headers = new Dictionary<string, string> { [name] = value } };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => _client.CallAsync(Target.ForService("Greeter", "greet"), "Ada", Serde.String, Serde.String, options));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_HttpClientWithoutBaseAddress_SaysWhatIsMissing()
    {
        using var http = new HttpClient();

        var error = Assert.Throws<ArgumentException>(() => new RestateClient(http));

        Assert.StartsWith("The HttpClient needs a BaseAddress: the Restate ingress", error.Message, StringComparison.Ordinal);
    }
}

public sealed class BidiRestateClientTests(BidiStreamFixture fixture) : RestateClientTests(fixture), IClassFixture<BidiStreamFixture>;

public sealed class RequestResponseRestateClientTests(RequestResponseFixture fixture) : RestateClientTests(fixture), IClassFixture<RequestResponseFixture>;

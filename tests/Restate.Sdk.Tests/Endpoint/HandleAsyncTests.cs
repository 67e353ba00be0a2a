using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Restate.Sdk.Definitions;
using Restate.Sdk.Endpoint;
using Restate.Sdk.Protocol;
using Restate.Sdk.Tests.Engine;

namespace Restate.Sdk.Tests.Endpoint;

/// <summary>
/// The public transport seam, driven the way a host drives it: request description and body pipe in, status,
/// content type and body pipe out, in both protocol modes.
/// </summary>
public sealed class HandleAsyncTests
{
    private const string V6 = "application/vnd.restate.invocation.v6";
    private const string ManifestV4 = "application/vnd.restate.endpointmanifest.v4+json";
    private const string IdentityKey = "publickeyv1_ChjENKeMvCtRnqG2mrBK1HmPKufgFUc98K8B3ononQvp";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static readonly ServiceDefinition Greeter = ServiceDefinition.ForService("Greeter")
        .Handler("greet", (Context _, string name) => Task.FromResult($"Hello {name}"), Serde.String, Serde.String)
        .Handler("nap", async (Context ctx) =>
        {
            await ctx.SleepAsync(TimeSpan.FromHours(1));
            return "awake";
        }, Serde.String)
        .Build();

    private static readonly RestateEndpoint Endpoint = RestateEndpoint.CreateBuilder().Bind(Greeter).Build();

    [Theory]
    [InlineData("/nothing/here", "No Restate route")]
    [InlineData("/invoke/Nobody/greet", "Service 'Nobody' is not bound")]
    [InlineData("/invoke/Greeter/shout", "has no handler 'shout'")]
    public async Task HandleAsync_UnknownRoute_Answers404WithTheReason(string path, string reason)
    {
        var response = await HandleAsync(Endpoint, Request("POST", path, ("content-type", V6)), []);

        Assert.Equal(404, response.Status);
        Assert.Equal("text/plain; charset=utf-8", response.ContentType);
        Assert.Contains(reason, response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_DiscoveryWithPost_Answers405()
    {
        var response = await HandleAsync(Endpoint, Request("POST", "/discover", ("accept", ManifestV4)), []);

        Assert.Equal(405, response.Status);
        Assert.Contains("GET", response.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/vnd.restate.invocation.v4")]
    public async Task HandleAsync_InvokeWithUnsupportedContentType_Answers415(string contentType)
    {
        var response = await HandleAsync(Endpoint, Request("POST", "/invoke/Greeter/greet", ("content-type", contentType)), []);

        Assert.Equal(415, response.Status);
        Assert.Contains("invocation.v5", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_UnsignedRequestToSignedEndpoint_Answers401()
    {
        var signed = RestateEndpoint.CreateBuilder().Bind(Greeter).WithIdentityKeys(IdentityKey).Build();

        var response = await HandleAsync(signed, Request("GET", "/discover", ("accept", ManifestV4)), []);

        Assert.Equal(401, response.Status);
    }

    [Fact]
    public async Task HandleAsync_HealthHead_Answers200WithoutABody()
    {
        var response = await HandleAsync(Endpoint, Request("HEAD", "/health"), []);

        Assert.Equal(200, response.Status);
        Assert.Empty(response.Received);
    }

    [Theory]
    [InlineData(ProtocolMode.BidiStream, "BIDI_STREAM")]
    [InlineData(ProtocolMode.RequestResponse, "REQUEST_RESPONSE")]
    public async Task HandleAsync_Discovery_AnnouncesTheTransportsModeWithTheManifestContentType(ProtocolMode mode, string announced)
    {
        var response = await HandleAsync(Endpoint, Request("GET", "/restate/discover", mode, ("accept", ManifestV4)), []);

        Assert.Equal(200, response.Status);
        Assert.Equal(ManifestV4, response.ContentType);
        Assert.Contains($"\"protocolMode\":\"{announced}\"", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_InvocationInRequestResponse_Answers200WithTheOutputAndEnd()
    {
        var body = Frames.Start(1).Concat(Frames.Input("\"Ada\"")).ToArray();

        var response = await HandleAsync(Endpoint, Request("POST", "/invoke/Greeter/greet", ("content-type", V6)), body);

        Assert.Equal(200, response.Status);
        Assert.Equal(V6, response.ContentType);
        var frames = Frames.Decode(response.Received);
        Assert.Equal([MessageType.OutputCommand, MessageType.End], frames.Select(f => f.Type));
        Assert.Equal("\"Hello Ada\"", frames[0].As<OutputCommandMessage>().Value.Content.ToStringUtf8());
    }

    [Fact]
    public async Task HandleAsync_InvocationInBidiStream_StartsTheResponseBeforeTheInputEnds()
    {
        var input = new Pipe();
        var response = new RecordingResponse();
        var handling = Endpoint.HandleAsync(Request("POST", "/invoke/Greeter/greet", ProtocolMode.BidiStream, ("content-type", V6)),
            input.Reader, response);

        // Headers are out (started and flushed) while the request body is still open: the server waits for them.
        await response.Flushed.Task.WaitAsync(Timeout);
        Assert.Equal(200, response.Status);
        await input.Writer.WriteAsync(Frames.Start(1).Concat(Frames.Input("\"Ada\"")).ToArray());
        await input.Writer.CompleteAsync();
        await handling.WaitAsync(Timeout);

        var frames = Frames.Decode(await response.ReadBodyAsync());
        Assert.Equal([MessageType.OutputCommand, MessageType.End], frames.Select(f => f.Type));
    }

    [Fact]
    public async Task HandleAsync_CancelledWhileTheHandlerWaits_AbortsTheAttemptWithAnErrorFrame()
    {
        var input = new Pipe();
        var response = new RecordingResponse();
        using var connection = new CancellationTokenSource();
        var handling = Endpoint.HandleAsync(Request("POST", "/invoke/Greeter/nap", ProtocolMode.BidiStream, ("content-type", V6)),
            input.Reader, response, connection.Token);
        await input.Writer.WriteAsync(Frames.Start(1).Concat(Frames.Input("null")).ToArray());
        await response.Written.Task.WaitAsync(Timeout);

        await connection.CancelAsync();
        await handling.WaitAsync(Timeout);

        var frames = Frames.Decode(await response.ReadBodyAsync());
        Assert.Equal([MessageType.SleepCommand, MessageType.Error], frames.Select(f => f.Type));
        Assert.Contains("connection to the Restate server was lost", frames[1].As<ErrorMessage>().Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_NullResponse_Throws()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => Endpoint.HandleAsync(Request("GET", "/health"), new Pipe().Reader, null!));
    }

    [Theory]
    [InlineData("inherits", OnJournalMismatch.Retry, 1)] // the service's Pause
    [InlineData("own", OnJournalMismatch.Retry, 2)] // the handler's Fail
    [InlineData("inherits", OnJournalMismatch.Fail, 1)]
    public async Task HandleAsync_V7JournalMismatch_SendsTheHandlersThenTheServicesThenTheEndpointsBehaviour(string handler,
        OnJournalMismatch endpointDefault, int expectedBehavior)
    {
        var drifting = ServiceDefinition.ForService("Drifting", new HandlerOptions { OnJournalMismatch = OnJournalMismatch.Pause })
            .Handler("inherits", async (Context ctx) => await ctx.SleepAsync(TimeSpan.FromHours(1)))
            .Handler("own", async (Context ctx) => await ctx.SleepAsync(TimeSpan.FromHours(1)), new HandlerOptions { OnJournalMismatch = OnJournalMismatch.Fail })
            .Build();
        var plain = ServiceDefinition.ForService("Plain").Handler("inherits", async (Context ctx) => await ctx.SleepAsync(TimeSpan.FromHours(1))).Build();
        var endpoint = RestateEndpoint.CreateBuilder().Bind(drifting).Bind(plain).WithJournalMismatchBehavior(endpointDefault).Build();
        // The journal has a run where the handler now sleeps.
        var body = Frames.Start(2).Concat(Frames.Input("")).Concat(Frames.Command(MessageType.RunCommand, new RunCommandMessage { ResultCompletionId = 1, Name = "old" })).ToArray();

        Assert.Equal((ErrorBehavior)expectedBehavior, await MismatchBehaviorAsync(endpoint, $"/invoke/Drifting/{handler}", body));
        Assert.Equal((ErrorBehavior)(int)endpointDefault, await MismatchBehaviorAsync(endpoint, "/invoke/Plain/inherits", body));
    }

    private static async Task<ErrorBehavior> MismatchBehaviorAsync(RestateEndpoint endpoint, string path, byte[] body)
    {
        var response = await HandleAsync(endpoint, Request("POST", path, ("content-type", "application/vnd.restate.invocation.v7")), body);
        var error = Frames.Decode(response.Received, 7).Single().As<ErrorMessage>();
        Assert.Equal(570u, error.Code);
        return error.Behavior;
    }

    [Fact]
    public void WithJournalMismatchBehavior_UndefinedValue_ThrowsNamingIt()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => RestateEndpoint.CreateBuilder().WithJournalMismatchBehavior((OnJournalMismatch)7));
        Assert.Contains("not a journal mismatch behaviour", e.Message, StringComparison.Ordinal);
    }

    private static async Task<RecordingResponse> HandleAsync(RestateEndpoint endpoint, EndpointRequest request, byte[] body)
    {
        var response = new RecordingResponse();
        await endpoint.HandleAsync(request, PipeReader.Create(new ReadOnlySequence<byte>(body)), response).WaitAsync(Timeout);
        response.Received = await response.ReadBodyAsync();
        return response;
    }

    private static EndpointRequest Request(string method, string path, params (string Name, string Value)[] headers) =>
        Request(method, path, ProtocolMode.RequestResponse, headers);

    private static EndpointRequest Request(string method, string path, ProtocolMode mode, params (string Name, string Value)[] headers) =>
        new(method, path, name => headers.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Value, mode);

    /// <summary>A transport's response in memory: checks that it is started once, before the body, and completed.</summary>
    private sealed class RecordingResponse : IEndpointResponse
    {
        private readonly Pipe _pipe = new();

        private readonly RecordingWriter _writer;

        public RecordingResponse() => _writer = new RecordingWriter(this);

        public int Status { get; private set; }

        public string? ContentType { get; private set; }

        public byte[] Received { get; set; } = [];

        public string Text => Encoding.UTF8.GetString(Received);

        public TaskCompletionSource Flushed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        PipeWriter IEndpointResponse.Body => _writer;

        public void Start(int statusCode, string contentType)
        {
            Assert.Equal(0, Status);
            Status = statusCode;
            ContentType = contentType;
        }

        /// <summary>Everything written, once the endpoint has completed the writer.</summary>
        public async Task<byte[]> ReadBodyAsync()
        {
            var bytes = new List<byte>();
            while (true)
            {
                var read = await _pipe.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
                bytes.AddRange(read.Buffer.ToArray());
                _pipe.Reader.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                {
                    return [.. bytes];
                }
            }
        }

        private sealed class RecordingWriter(RecordingResponse response) : PipeWriter
        {
            private PipeWriter Inner => response._pipe.Writer;

            public override void Advance(int bytes)
            {
                Assert.NotEqual(0, response.Status);
                Inner.Advance(bytes);
                response.Written.TrySetResult();
            }

            public override Memory<byte> GetMemory(int sizeHint = 0) => Inner.GetMemory(sizeHint);

            public override Span<byte> GetSpan(int sizeHint = 0) => Inner.GetSpan(sizeHint);

            public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
            {
                Assert.NotEqual(0, response.Status);
                response.Flushed.TrySetResult();
                return Inner.FlushAsync(cancellationToken);
            }

            public override void CancelPendingFlush() => Inner.CancelPendingFlush();

            public override void Complete(Exception? exception = null) => Inner.Complete(exception);
        }
    }
}

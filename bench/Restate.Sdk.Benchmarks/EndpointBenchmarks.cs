using System.Buffers;
using System.IO.Pipelines;
using BenchmarkDotNet.Attributes;
using Restate.Sdk.Definitions;
using Restate.Sdk.Endpoint;
using Restate.Sdk.Protocol;

namespace Restate.Sdk.Benchmarks;

/// <summary>
/// One whole request/response attempt of a small handler (Start + Input in, Output + End out), as a host sees it:
/// <see cref="HandleAsync"/> goes through the public seam (<see cref="RestateEndpoint.HandleAsync"/>, body pipes, an
/// in-memory response like the Lambda host's); <see cref="CoreDirect"/> drives the internal invocation core the way
/// the transports did before the seam (route, feed the body array, copy the output channel into a buffer). The
/// difference is what the seam costs per request.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(QuickConfig))]
public class EndpointBenchmarks
{
    private const string ContentType = "application/vnd.restate.invocation.v6";

    private static readonly ServiceDefinition Greeter = ServiceDefinition.ForService("Greeter")
        .Handler("greet", (Context _, string name) => Task.FromResult($"Hello {name}"), Serde.String, Serde.String)
        .Build();

    private readonly RestateEndpoint _endpoint = RestateEndpoint.CreateBuilder().Bind(Greeter).Build();
    private readonly EndpointRequest _request = new("POST", "/invoke/Greeter/greet",
        static name => name == "content-type" ? ContentType : null, ProtocolMode.RequestResponse);
    private byte[] _body = [];

    [GlobalSetup]
    public void Setup()
    {
        _body = Journal.FirstAttempt("\"Ada\"");
        Verify(CoreDirect().GetAwaiter().GetResult(), nameof(CoreDirect));
        Verify(HandleAsync().GetAwaiter().GetResult(), nameof(HandleAsync));
    }

    [Benchmark(Baseline = true)]
    public async Task<byte[]> CoreDirect()
    {
        var core = ((EndpointResult.Invocation)_endpoint.Handle(_request)).Core;
        core.NotifyInput(_body);
        core.NotifyInputClosed();
        var output = new ArrayBufferWriter<byte>(4096);
        await foreach (var chunk in core.Output.ReadAllAsync())
        {
            output.Write(chunk.Span);
        }
        await core.Completion;
        return output.WrittenSpan.ToArray();
    }

    [Benchmark]
    public async Task<byte[]> HandleAsync()
    {
        var response = new BufferedResponse();
        await _endpoint.HandleAsync(_request, PipeReader.Create(new ReadOnlySequence<byte>(_body)), response);
        return response.Written.ToArray();
    }

    private static void Verify(byte[] output, string benchmark)
    {
        var frames = Journal.FrameTypes(output);
        if (frames is not [MessageType.OutputCommand, MessageType.End])
        {
            throw new InvalidOperationException($"{benchmark} wrote [{string.Join(", ", frames)}], not [OutputCommand, End].");
        }
    }

    /// <summary>The response in memory, the way the Lambda host keeps it.</summary>
    private sealed class BufferedResponse : IEndpointResponse
    {
        private readonly BufferWriter _body = new();

        public PipeWriter Body => _body;

        public ReadOnlySpan<byte> Written => _body.Buffer.WrittenSpan;

        public void Start(int statusCode, string contentType)
        {
            if (statusCode != 200)
            {
                throw new InvalidOperationException($"The endpoint answered {statusCode}.");
            }
        }

        private sealed class BufferWriter : PipeWriter
        {
            public ArrayBufferWriter<byte> Buffer { get; } = new(4096);

            public override void Advance(int bytes) => Buffer.Advance(bytes);

            public override Memory<byte> GetMemory(int sizeHint = 0) => Buffer.GetMemory(sizeHint);

            public override Span<byte> GetSpan(int sizeHint = 0) => Buffer.GetSpan(sizeHint);

            public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => default;

            public override void CancelPendingFlush()
            {
            }

            public override void Complete(Exception? exception = null)
            {
            }
        }
    }
}

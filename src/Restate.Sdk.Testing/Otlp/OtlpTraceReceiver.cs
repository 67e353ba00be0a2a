using System.Buffers.Binary;
using System.IO.Compression;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Restate.Sdk.Testing.Lambda;
using Restate.Sdk.Testing.Otlp.Wire;

namespace Restate.Sdk.Testing.Otlp;

/// <summary>
/// An OTLP trace collector for tests: Kestrel on 127.0.0.1 accepting spans over OTLP/gRPC (h2c) on
/// <see cref="Endpoint"/> and over OTLP/HTTP with protobuf bodies on <see cref="HttpEndpoint"/>, like a collector's
/// 4317 and 4318. It keeps every span it receives. Point restate-server at <see cref="Endpoint"/> with
/// <c>RESTATE_TRACING_ENDPOINT</c> and .NET services with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, then wait for the spans a
/// test expects with <see cref="WaitForSpansAsync"/>.
/// </summary>
/// <remarks>
/// Two ports because Kestrel speaks HTTP/2 without TLS (prior knowledge, as gRPC clients do) only on an endpoint that
/// is HTTP/2-only, while OTLP/HTTP exporters send HTTP/1.1.
/// </remarks>
/// <summary>
/// </summary>
public sealed class OtlpTraceReceiver : IAsyncDisposable
{
    /// <summary>The gRPC method an OTLP/gRPC exporter calls.</summary>
    public const string GrpcExportPath = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

    /// <summary>The path an OTLP/HTTP exporter posts to.</summary>
    public const string HttpTracesPath = "/v1/traces";

    private readonly Lock _gate = new();
    private readonly List<ReceivedSpan> _spans = [];
    private TaskCompletionSource _changed = NewSignal();
    private LoopbackHttpServer _grpcServer = null!;
    private LoopbackHttpServer? _httpServer;

    private OtlpTraceReceiver()
    {
    }

    /// <summary>The OTLP/gRPC address (HTTP/2 only), for example <c>http://127.0.0.1:53817</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>
    /// The OTLP/HTTP base address (HTTP/1.1); exporters post to <see cref="HttpTracesPath"/> under it, as
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> with <c>OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf</c> does.
    /// </summary>
    public Uri HttpEndpoint { get; private set; } = null!;

    /// <summary>A snapshot of every span received so far, in arrival order.</summary>
    public IReadOnlyList<ReceivedSpan> Spans
    {
        get
        {
            lock (_gate)
            {
                return [.. _spans];
            }
        }
    }

    /// <summary>Starts the receiver on two free loopback ports.</summary>
    public static async Task<OtlpTraceReceiver> StartAsync(CancellationToken ct = default)
    {
        var receiver = new OtlpTraceReceiver();
        receiver._grpcServer = await LoopbackHttpServer
            .StartAsync(0, receiver.HandleAsync, ct, HttpProtocols.Http2)
            .ConfigureAwait(false);
        try
        {
            receiver._httpServer = await LoopbackHttpServer
                .StartAsync(0, receiver.HandleAsync, ct, HttpProtocols.Http1)
                .ConfigureAwait(false);
        }
        catch
        {
            await receiver._grpcServer.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        receiver.Endpoint = new Uri($"http://127.0.0.1:{receiver._grpcServer.Port}");
        receiver.HttpEndpoint = new Uri($"http://127.0.0.1:{receiver._httpServer.Port}");
        return receiver;
    }

    /// <summary>
    /// Waits until <paramref name="condition"/> holds for the spans received so far and returns that snapshot. It is
    /// evaluated now and after every export. Throws <see cref="TimeoutException"/> (listing what did arrive) when it
    /// does not hold within <paramref name="timeout"/>: exporters batch, so give them seconds, not milliseconds.
    /// </summary>
    public async Task<IReadOnlyList<ReceivedSpan>> WaitForSpansAsync(
        Func<IReadOnlyList<ReceivedSpan>, bool> condition, TimeSpan timeout, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        while (true)
        {
            Task changed;
            IReadOnlyList<ReceivedSpan> snapshot;
            lock (_gate)
            {
                changed = _changed.Task;
                snapshot = [.. _spans];
            }

            if (condition(snapshot))
            {
                return snapshot;
            }

            try
            {
                await changed.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"The expected spans did not arrive within {timeout}. Received {snapshot.Count}:" +
                    string.Concat(snapshot.Select(span => $"{Environment.NewLine}  {span}")));
            }
        }
    }

    /// <summary>Waits for the first span matching <paramref name="predicate"/>; see <see cref="WaitForSpansAsync"/>.</summary>
    public async Task<ReceivedSpan> WaitForSpanAsync(
        Func<ReceivedSpan, bool> predicate, TimeSpan timeout, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var spans = await WaitForSpansAsync(received => received.Any(predicate), timeout, ct).ConfigureAwait(false);
        return spans.First(predicate);
    }

    /// <summary>Stops both listeners; the spans received stay readable.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _grpcServer.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            if (_httpServer is not null)
            {
                await _httpServer.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        switch (request.Path.Value)
        {
            case GrpcExportPath:
                await HandleGrpcAsync(context).ConfigureAwait(false);
                break;
            case HttpTracesPath:
                await HandleHttpAsync(context).ConfigureAwait(false);
                break;
            default:
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                break;
        }
    }

    private async Task HandleGrpcAsync(HttpContext context)
    {
        var response = context.Response;
        response.ContentType = "application/grpc";
        var (status, message) = (0, "");
        try
        {
            var body = await ReadBodyAsync(context.Request, contentEncoding: null).ConfigureAwait(false);
            var frames = OtlpSpanDecoder.SplitGrpcMessages(body, out var compressed);
            var gzip = compressed && context.Request.Headers["grpc-encoding"] == "gzip";
            if (compressed && !gzip)
            {
                throw new InvalidDataException($"unsupported grpc-encoding '{context.Request.Headers["grpc-encoding"]}'");
            }

            foreach (var frame in frames)
            {
                var payload = gzip ? Gunzip(frame) : frame;
                Record(ExportTraceServiceRequest.Parser.ParseFrom(payload.Span), OtlpTransport.Grpc);
            }

            // One uncompressed, empty ExportTraceServiceResponse: flag 0, length 0.
            var reply = new byte[5];
            BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(1), 0);
            await response.Body.WriteAsync(reply, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or InvalidProtocolBufferException)
        {
            (status, message) = (3, e.Message); // INVALID_ARGUMENT
        }

        response.AppendTrailer("grpc-status", status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (message.Length > 0)
        {
            response.AppendTrailer("grpc-message", Uri.EscapeDataString(message));
        }
    }

    private async Task HandleHttpAsync(HttpContext context)
    {
        var response = context.Response;
        if (context.Request.ContentType?.StartsWith("application/x-protobuf", StringComparison.OrdinalIgnoreCase) != true)
        {
            // OTLP/HTTP with JSON bodies is not decoded: say so rather than accept and drop the spans.
            response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        try
        {
            var body = await ReadBodyAsync(context.Request, context.Request.Headers.ContentEncoding).ConfigureAwait(false);
            Record(ExportTraceServiceRequest.Parser.ParseFrom(body.Span), OtlpTransport.HttpProtobuf);
        }
        catch (Exception e) when (e is InvalidDataException or InvalidProtocolBufferException)
        {
            response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        response.ContentType = "application/x-protobuf";
        await response.Body.WriteAsync(new ExportTraceServiceResponse().ToByteArray(), context.RequestAborted)
            .ConfigureAwait(false);
    }

    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, string? contentEncoding)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted).ConfigureAwait(false);
        var body = buffer.ToArray().AsMemory();
        return contentEncoding switch
        {
            null or "" or "identity" => body,
            "gzip" => Gunzip(body),
            _ => throw new InvalidDataException($"unsupported Content-Encoding '{contentEncoding}'"),
        };
    }

    private static ReadOnlyMemory<byte> Gunzip(ReadOnlyMemory<byte> compressed)
    {
        using var input = new MemoryStream(compressed.ToArray());
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }

    private void Record(ExportTraceServiceRequest request, OtlpTransport transport)
    {
        var spans = OtlpSpanDecoder.Decode(request, transport);
        TaskCompletionSource changed;
        lock (_gate)
        {
            _spans.AddRange(spans);
            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }
}

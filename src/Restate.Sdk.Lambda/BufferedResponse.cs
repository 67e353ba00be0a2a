using System.Buffers;
using System.IO.Pipelines;
using Restate.Sdk.Endpoint;

namespace Restate.Sdk.Lambda;

/// <summary>
/// The endpoint's response held in memory: a Lambda function answers once, with the whole body. The writer is a thin
/// <see cref="PipeWriter"/> over an <see cref="ArrayBufferWriter{T}"/>, so each message is copied once, into the buffer
/// the answer is encoded from.
/// </summary>
internal sealed class BufferedResponse : IEndpointResponse
{
    private readonly BufferWriter _body = new();

    public int StatusCode { get; private set; }

    public string ContentType { get; private set; } = "application/octet-stream";

    public PipeWriter Body => _body;

    /// <summary>The body written so far.</summary>
    public ReadOnlySpan<byte> Written => _body.Buffer.WrittenSpan;

    public void Start(int statusCode, string contentType)
    {
        StatusCode = statusCode;
        ContentType = contentType;
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
            // Flushes complete at once: there is never one pending.
        }

        public override void Complete(Exception? exception = null)
        {
            // The buffer is read after the endpoint is done; nothing to release.
        }
    }
}

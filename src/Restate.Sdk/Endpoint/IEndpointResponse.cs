using System.IO.Pipelines;

namespace Restate.Sdk.Endpoint;

/// <summary>
/// The response side of one request, implemented by the transport that hosts a <see cref="RestateEndpoint"/> and
/// passed to <see cref="RestateEndpoint.HandleAsync"/>.
/// </summary>
public interface IEndpointResponse
{
    /// <summary>
    /// Where the response body goes. The endpoint writes and flushes each protocol message as it is produced
    /// (<see cref="PipeWriter.WriteAsync"/>): the transport must send flushed bytes on at once, without buffering the
    /// whole response, when it announced <see cref="ProtocolMode.BidiStream"/>. When the response is complete the
    /// endpoint completes the writer (<see cref="PipeWriter.CompleteAsync"/>), after which the transport may end the
    /// response. Over a stream, use <c>PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true))</c>.
    /// </summary>
    PipeWriter Body { get; }

    /// <summary>
    /// Fixes the status code and content type, exactly once per request and before the first byte of <see cref="Body"/>
    /// is written. The transport adds headers of its own here (<c>x-restate-server</c>:
    /// <see cref="RestateEndpoint.ServerHeaderValue"/>) and sends the headers at the latest with the first flush of
    /// <see cref="Body"/>: in <see cref="ProtocolMode.BidiStream"/> the endpoint flushes right after this call, before it
    /// waits for more input, because the Restate server waits for the response headers.
    /// </summary>
    /// <param name="statusCode">200 for discovery, health and invocations; 4xx with a plain-text reason otherwise.</param>
    /// <param name="contentType">The content type, e.g. <c>application/vnd.restate.invocation.v6</c>.</param>
    void Start(int statusCode, string contentType);
}

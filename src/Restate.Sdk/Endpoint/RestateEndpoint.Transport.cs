using System.Buffers;
using System.IO.Pipelines;
using Restate.Sdk.Driver;

namespace Restate.Sdk.Endpoint;

// The seam every transport is built on: request description and body in, status, content type and body out.
public sealed partial class RestateEndpoint
{
    // After our last frame the runtime closes its side; waiting for that keeps HTTP/2 streams from being reset.
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Answers one request from a Restate server: discovery, the health check, or an invocation attempt; errors are
    /// answered with their status (401 identity check failed, 404 unknown route, service or handler, 405 wrong method,
    /// 415 unsupported protocol or manifest version) and a plain-text reason. This is all a transport needs, for any
    /// host: ASP.NET Core's <c>MapRestate</c> and the Lambda host are built on it.
    /// </summary>
    /// <param name="request">Method, path, headers, and the protocol mode the transport can carry.</param>
    /// <param name="requestBody">
    /// The request body. In <see cref="ProtocolMode.BidiStream"/> it is read while the response streams (the server sends
    /// completions as the handler runs); in <see cref="ProtocolMode.RequestResponse"/> it is read to its end before the
    /// first byte of the response body is written. The endpoint neither completes nor disposes it. Over a stream, use
    /// <c>PipeReader.Create(stream)</c>.
    /// </param>
    /// <param name="response">
    /// The transport's response: <see cref="IEndpointResponse.Start"/> is called once with the status and content type,
    /// then <see cref="IEndpointResponse.Body"/> is written, flushed per message, and completed.
    /// </param>
    /// <param name="cancellationToken">
    /// Means the connection to the server is lost, or the host must answer now (a function's deadline): a running
    /// attempt is aborted with an error frame (written if the body still takes it) so that the server retries it.
    /// </param>
    /// <returns>
    /// Completes when the response is complete and the attempt's handler has unwound (its <c>finally</c> blocks ran, or
    /// 10 s passed): a host that may be frozen or stopped once it answers (serverless) answers after this.
    /// </returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public async Task HandleAsync(EndpointRequest request, PipeReader requestBody, IEndpointResponse response,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(requestBody);
        ArgumentNullException.ThrowIfNull(response);
        switch (Handle(request))
        {
            case EndpointResult.Reply reply:
                response.Start(reply.Status, reply.ContentType);
                if (!string.Equals(request.Method, "HEAD", StringComparison.OrdinalIgnoreCase))
                {
                    await response.Body.WriteAsync(reply.Body, cancellationToken);
                }
                await response.Body.CompleteAsync();
                break;
            case EndpointResult.Invocation invocation:
                await InvokeAsync(invocation.Core, invocation.ContentType, ModeFor(request.Mode), requestBody, response, cancellationToken);
                break;
        }
    }

    private const string HostCancelled =
        "The host cancelled the request: the connection to the Restate server was lost, or its deadline is near.";

    private static async Task InvokeAsync(InvocationCore core, string contentType, ProtocolMode mode, PipeReader input,
        IEndpointResponse response, CancellationToken cancellationToken)
    {
        response.Start(200, contentType);
        var output = response.Body;
        using var abort = cancellationToken.Register(static state => ((InvocationCore)state!).Abort(HostCancelled), core);
        if (mode == ProtocolMode.BidiStream)
        {
            // Input is read while output streams, so the headers go out first: the server waits for them.
            var reading = await TryFlushAsync(core, output, cancellationToken) ? PumpInputAsync(core, input, cancellationToken) : Task.CompletedTask;
            await PumpOutputAsync(core, output);
            try
            {
                await reading.WaitAsync(DrainTimeout, cancellationToken);
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException)
            {
                // The runtime did not close its side in time or dropped the connection: the attempt is over either way.
            }
        }
        else
        {
            await PumpInputAsync(core, input, cancellationToken);
            await PumpOutputAsync(core, output);
        }
        await output.CompleteAsync();
        await core.Completion;
    }

    private static async Task<bool> TryFlushAsync(InvocationCore core, PipeWriter output, CancellationToken cancellationToken)
    {
        try
        {
            var flushed = await output.FlushAsync(cancellationToken);
            if (!flushed.IsCompleted && !flushed.IsCanceled)
            {
                return true;
            }
            core.Abort("The transport stopped taking the response body.");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            core.Abort(HostCancelled);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            core.Abort($"Sending the response headers failed: {e.Message}");
        }
        return false;
    }

    private static async Task PumpInputAsync(InvocationCore core, PipeReader reader, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(cancellationToken);
                if (!read.Buffer.IsEmpty)
                {
                    // The core consumes input on its scheduler, after the pipe's buffer is handed back: it needs its own copy.
                    core.NotifyInput(read.Buffer.ToArray());
                }
                reader.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host's cancellation also reaches the registration in InvokeAsync; whichever runs first, one reason.
            core.Abort(HostCancelled);
            return;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            core.Abort($"Reading the request body failed: {e.Message}");
            return;
        }
        core.NotifyInputClosed();
    }

    /// <summary>
    /// Writes and flushes each chunk as the core produces it, until the attempt ends (which an abort guarantees). Not
    /// cancellable: after a cancellation the error frame is still written where the body takes it (a function's answer).
    /// </summary>
    private static async Task PumpOutputAsync(InvocationCore core, PipeWriter writer)
    {
        try
        {
            await foreach (var chunk in core.Output.ReadAllAsync())
            {
                var flushed = await writer.WriteAsync(chunk);
                if (flushed.IsCompleted || flushed.IsCanceled)
                {
                    core.Abort("The transport stopped taking the response body.");
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            core.Abort($"Writing the response failed: {e.Message}");
        }
    }
}

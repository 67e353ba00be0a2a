using Restate.Sdk.Client;

namespace Patterns.DataUpload;

/// <summary>
/// The upload as a program outside Restate runs it (a web app, a command-line tool), through the ingress client: it
/// submits <see cref="DataUploadWorkflow"/>, waits for its result at most <paramref name="waitLimit"/>, and when the
/// upload takes longer asks the workflow to mail the URL instead. <see cref="UploadService"/> does the same inside
/// Restate, where the wait and the switch to email are durable too: this client's decision lives only in its own process.
/// </summary>
public sealed class UploadClient(RestateClient restate, TimeSpan waitLimit)
{
    /// <summary>Starts the upload and answers its URL, or that it will be mailed.</summary>
    /// <exception cref="ArgumentException">No upload id or no email address.</exception>
    /// <exception cref="Restate.Sdk.TerminalException">The upload failed, or its id was used before (409).</exception>
    public async Task<UploadAnswer> UploadAsync(UploadRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.UploadId, nameof(request));
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Email, nameof(request));

        var workflow = restate.WorkflowClient<DataUploadWorkflowIngressClient>(request.UploadId);
        // Submitting runs the workflow once per upload id; the client then attaches to it like any later reader.
        await workflow.Send().RunAsync(request.SizeMb, cancellationToken);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(waitLimit);
        try
        {
            return new UploadAnswer(await workflow.AttachAsync(wait.Token), "Uploaded.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Only the wait was given up: the upload goes on, and its shared handler mails the URL once it is there.
            await workflow.Send().ResultAsEmailAsync(request.Email, cancellationToken);
            return new UploadAnswer(null, $"The upload takes longer than {waitLimit.TotalSeconds:0.###} s: its URL will be emailed to {request.Email}.");
        }
    }
}

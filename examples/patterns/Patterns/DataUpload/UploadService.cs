using Microsoft.Extensions.Options;
using Restate.Sdk;

namespace Patterns.DataUpload;

/// <summary>
/// The entry point for uploads: starts the upload and waits for it a bounded time; an upload that takes longer goes on,
/// and its URL is mailed when it is done.
/// </summary>
[Service("UploadService")]
public sealed partial class UploadService(IOptions<PatternsOptions> options)
{
    /// <summary>The largest upload accepted, in megabytes.</summary>
    public const int MaxSizeMb = 10_000;

    /// <summary>Uploads the data and answers the URL, or that it will be mailed.</summary>
    /// <exception cref="TerminalException">400: no upload id, no email address, or a size outside 0 to <see cref="MaxSizeMb"/>.</exception>
    [Handler("upload")]
    public async Task<UploadAnswer> UploadAsync(Context ctx, UploadRequest request)
    {
        if (request is null || string.IsNullOrWhiteSpace(request.UploadId) || string.IsNullOrWhiteSpace(request.Email) || !request.Email.Contains('@', StringComparison.Ordinal)
            || request.SizeMb is < 0 or > MaxSizeMb)
        {
            throw new TerminalException($"An upload needs an uploadId, an email address and a sizeMb from 0 to {MaxSizeMb}.", 400);
        }

        var upload = ctx.WorkflowClient<DataUploadWorkflowClient>(request.UploadId);
        var url = upload.RunAsync(request.SizeMb);
        var limit = options.Value.UploadWaitLimit;
        // A race between the call and a durable timer, both journaled: a retry of this invocation takes the same branch.
        if (await DurableFuture.Race(url, ctx.SleepAsync(limit, "wait limit")) == 0)
        {
            return new UploadAnswer(await url, "Uploaded.");
        }

        // Too slow to wait for: the upload goes on regardless, and resultAsEmail mails its URL once it is there.
        upload.Send().ResultAsEmail(request.Email);
        return new UploadAnswer(null, $"The upload takes longer than {limit.TotalSeconds:0.###} s: its URL will be emailed to {request.Email}.");
    }
}

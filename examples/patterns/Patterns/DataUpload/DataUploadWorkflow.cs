using Microsoft.Extensions.Options;
using Restate.Sdk;

namespace Patterns.DataUpload;

/// <summary>
/// One upload, keyed by upload id: creates a bucket, transfers the data (slow for big uploads) and publishes the
/// bucket's URL on the durable promise <c>url</c>, which <c>resultAsEmail</c> waits on to mail it.
/// </summary>
[Workflow("DataUploadWorkflow")]
public sealed partial class DataUploadWorkflow(IUploadTools tools, IOptions<PatternsOptions> options)
{
    private const string UrlPromise = "url";

    /// <summary>Uploads <paramref name="sizeMb"/> megabytes.</summary>
    /// <returns>The URL of the data.</returns>
    /// <exception cref="TerminalException">400: a size outside 0 to <see cref="UploadService.MaxSizeMb"/>.</exception>
    [Handler("run")]
    public async Task<string> RunAsync(WorkflowContext ctx, int sizeMb)
    {
        var promise = ctx.Promise<string>(UrlPromise);
        try
        {
            if (sizeMb is < 0 or > UploadService.MaxSizeMb)
            {
                throw new TerminalException($"An upload's sizeMb is from 0 to {UploadService.MaxSizeMb}.", 400);
            }
            var url = await ctx.RunAsync("create bucket", cancellation => tools.CreateBucketAsync(ctx.Key, cancellation));
            await ctx.RunAsync("start transfer", cancellation => tools.StartTransferAsync(url, sizeMb, cancellation));
            // The transfer's duration, on a durable timer: the invocation suspends meanwhile, holding no thread, and a
            // restart of the app in the middle does not make the wait start over.
            await ctx.SleepAsync(options.Value.UploadTimePerMegabyte * sizeMb, "transfer");
            await promise.ResolveAsync(url);
            return url;
        }
        catch (TerminalException failure)
        {
            // Whoever waits for the URL (resultAsEmail) fails too, instead of waiting for ever.
            await promise.RejectAsync(failure.Message);
            throw;
        }
    }

    /// <summary>Mails the URL to <paramref name="email"/> once the upload has finished (at once if it has).</summary>
    [Shared]
    [Handler("resultAsEmail")]
    public async Task ResultAsEmailAsync(SharedWorkflowContext ctx, string email)
    {
        var url = await ctx.Promise<string>(UrlPromise).GetAsync();
        await ctx.RunAsync("send email", cancellation => tools.SendEmailAsync(new SentEmail(email, $"Your data is uploaded: {url}"), cancellation));
    }
}

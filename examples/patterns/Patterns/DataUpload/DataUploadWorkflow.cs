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
    [Handler("run")]
    public async Task<string> RunAsync(WorkflowContext ctx, int sizeMb)
    {
        var url = await ctx.RunAsync("create bucket", cancellation => tools.CreateBucketAsync(ctx.Key, cancellation));
        await ctx.RunAsync("start transfer", cancellation => tools.StartTransferAsync(url, sizeMb, cancellation));
        // The transfer's duration, on a durable timer: the invocation suspends meanwhile, holding no thread, and a
        // restart of the app in the middle does not make the wait start over.
        await ctx.SleepAsync(options.Value.UploadTimePerMegabyte * sizeMb, "transfer");
        await ctx.Promise<string>(UrlPromise).ResolveAsync(url);
        return url;
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

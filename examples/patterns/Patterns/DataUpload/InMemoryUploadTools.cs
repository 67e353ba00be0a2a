using System.Collections.Concurrent;

namespace Patterns.DataUpload;

/// <summary>Storage and mail in this process: buckets get a URL from the upload id, and sent emails are kept by recipient.</summary>
public sealed partial class InMemoryUploadTools(ILogger<InMemoryUploadTools> logger) : IUploadTools
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<SentEmail>> _mailboxes = new();
    private readonly ConcurrentDictionary<string, int> _emailCounts = new();

    /// <summary>Completes with the first email sent to <paramref name="to"/>.</summary>
    public Task<SentEmail> FirstEmailToAsync(string to) => Mailbox(to).Task;

    /// <summary>How many emails were sent to <paramref name="to"/>.</summary>
    public int EmailCountOf(string to) => _emailCounts.GetValueOrDefault(to);

    /// <inheritdoc />
    public Task<string> CreateBucketAsync(string uploadId, CancellationToken cancellationToken)
    {
        var url = $"https://storage.example.com/uploads/{Uri.EscapeDataString(uploadId)}/";
        LogBucketCreated(url);
        return Task.FromResult(url);
    }

    /// <inheritdoc />
    public Task StartTransferAsync(string url, int sizeMb, CancellationToken cancellationToken)
    {
        LogTransferStarted(sizeMb, url);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task SendEmailAsync(SentEmail email, CancellationToken cancellationToken)
    {
        _emailCounts.AddOrUpdate(email.To, 1, (_, count) => count + 1);
        Mailbox(email.To).TrySetResult(email);
        LogEmailSent(email.To, email.Body);
        return Task.CompletedTask;
    }

    private TaskCompletionSource<SentEmail> Mailbox(string to) =>
        _mailboxes.GetOrAdd(to, _ => new TaskCompletionSource<SentEmail>(TaskCreationOptions.RunContinuationsAsynchronously));

    [LoggerMessage(Level = LogLevel.Information, Message = "Bucket {Url} created")]
    private partial void LogBucketCreated(string url);

    [LoggerMessage(Level = LogLevel.Information, Message = "Transfer of {SizeMb} MB to {Url} started")]
    private partial void LogTransferStarted(int sizeMb, string url);

    [LoggerMessage(Level = LogLevel.Information, Message = "Email to {To}: {Body}")]
    private partial void LogEmailSent(string to, string body);
}

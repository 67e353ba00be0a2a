namespace Patterns.DataUpload;

/// <summary>The storage the data goes to, and the mail that carries links to it.</summary>
public interface IUploadTools
{
    /// <summary>Creates the bucket for the upload and returns its URL.</summary>
    Task<string> CreateBucketAsync(string uploadId, CancellationToken cancellationToken);

    /// <summary>Starts the transfer of <paramref name="sizeMb"/> megabytes to the bucket.</summary>
    Task StartTransferAsync(string url, int sizeMb, CancellationToken cancellationToken);

    /// <summary>Sends an email.</summary>
    Task SendEmailAsync(SentEmail email, CancellationToken cancellationToken);
}

namespace Patterns.DataUpload;

/// <summary>What a user asks to upload: an upload id (one upload each), where to mail the link if it takes long, and the size.</summary>
public sealed record UploadRequest(string UploadId, string Email, int SizeMb);

/// <summary>
/// The answer to an upload request: the URL when the upload finished within <see cref="PatternsOptions.UploadWaitLimit"/>,
/// otherwise no URL and the news that it will be emailed.
/// </summary>
public sealed record UploadAnswer(string? Url, string Message);

/// <summary>An email sent by the application.</summary>
public sealed record SentEmail(string To, string Body);

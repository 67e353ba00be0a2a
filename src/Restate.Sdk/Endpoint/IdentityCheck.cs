namespace Restate.Sdk.Endpoint;

/// <summary>
/// The outcome of a request-identity check: either valid, or invalid with a message that says what was wrong
/// (meant for the log and for the 401 response body).
/// </summary>
internal readonly record struct IdentityCheck(bool IsValid, string? Error)
{
    /// <summary>The request passed the check (or no check was configured).</summary>
    public static IdentityCheck Ok { get; } = new(true, null);

    /// <summary>The request failed the check for the reason given.</summary>
    public static IdentityCheck Fail(string error) => new(false, error);
}

namespace Restate.Sdk;

/// <summary>
/// A failure worth retrying, with a hint of when: thrown from a <c>RunAsync</c> closure it fails that run's attempt,
/// and the run is retried after <see cref="RetryAfter"/> instead of the delay its <see cref="RetryPolicy"/> would
/// pick (the policy's attempt and duration limits still apply); thrown from handler code it fails the invocation's
/// attempt, and the runtime retries it after that delay. Any other exception is retried too, on the policy's
/// schedule; a <see cref="TerminalException"/> is never retried.
/// </summary>
/// <remarks>Typical use: a rate-limited API that says when to come back (HTTP 429 with <c>Retry-After</c>).</remarks>
public sealed class RetryableException : Exception
{
    /// <summary>Creates a retryable failure without a delay hint.</summary>
    public RetryableException()
    {
    }

    /// <summary>Creates a retryable failure without a delay hint.</summary>
    /// <param name="message">What failed.</param>
    public RetryableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates a retryable failure without a delay hint.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public RetryableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates a retryable failure to be retried after <paramref name="retryAfter"/>.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="retryAfter">How long to wait before the next attempt; zero or more.</param>
    /// <param name="innerException">The cause, if any.</param>
    public RetryableException(string message, TimeSpan retryAfter, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retryAfter, TimeSpan.Zero);
        RetryAfter = retryAfter;
    }

    /// <summary>When to retry; null: when the retry policy says.</summary>
    public TimeSpan? RetryAfter { get; }
}

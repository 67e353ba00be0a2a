namespace Restate.Sdk;

/// <summary>
/// Thrown into handler code when its attempt ends before the handler returns: the invocation suspended (a later attempt
/// replays the journal up to this point and goes on from there), the connection to the runtime was lost, or the
/// attempt failed. It unwinds the handler so that its <c>finally</c> blocks and <c>using</c> disposals run once per
/// attempt, and whatever the handler holds (a lock, a lease, a pooled object) is released before the next attempt
/// needs it. <see cref="Context.AttemptEnded"/> is cancelled at the same moment.
/// </summary>
/// <remarks>
/// Never swallow it: a <c>catch</c> that does not rethrow it keeps running handler code whose results no one takes
/// (analyzer RESTATE109 flags catch clauses in handlers that would). Every later use of the context throws it again,
/// and nothing the handler returns or throws after it is sent to the runtime. It derives from
/// <see cref="OperationCanceledException"/>, with <see cref="OperationCanceledException.CancellationToken"/> set to
/// the attempt's token, so code written for cooperative cancellation unwinds on it as it should.
/// </remarks>
public sealed class AttemptEndedException : OperationCanceledException
{
    private const string DefaultMessage =
        "This attempt of the invocation has ended (it suspended, lost its connection or failed); the handler is being unwound. " +
        "Do not catch this exception: a later attempt replays the journal and continues from here.";

    /// <summary>Creates the exception with the standard message.</summary>
    public AttemptEndedException()
        : base(DefaultMessage)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    /// <param name="message">What ended.</param>
    public AttemptEndedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the exception that ended the attempt.</summary>
    /// <param name="message">What ended.</param>
    /// <param name="innerException">The cause.</param>
    public AttemptEndedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal AttemptEndedException(CancellationToken attemptEnded)
        : base(DefaultMessage, attemptEnded)
    {
    }
}

namespace Restate.Sdk;

/// <summary>
/// A failure that must not be retried. Thrown from a handler it ends the invocation with this code and message
/// (the ingress answers with the code as HTTP status); thrown from a <c>RunAsync</c> closure it is journaled and
/// rethrown on every replay. Awaiting a call, promise or awakeable that failed terminally throws it too.
/// </summary>
public class TerminalException : Exception
{
    /// <summary>The code Restate uses for cancelled invocations.</summary>
    public const ushort CancelledCode = 409;

    /// <summary>The default code of a terminal failure.</summary>
    public const ushort DefaultCode = 500;

    /// <summary>Creates a terminal failure with code 500.</summary>
    public TerminalException()
        : this("Terminal failure")
    {
    }

    /// <summary>Creates a terminal failure with code 500.</summary>
    /// <param name="message">The failure message returned to the caller.</param>
    public TerminalException(string message)
        : this(message, DefaultCode)
    {
    }

    /// <summary>Creates a terminal failure with code 500 and an inner exception (which is not sent to the caller).</summary>
    /// <param name="message">The failure message returned to the caller.</param>
    /// <param name="innerException">The cause, for local diagnostics only.</param>
    public TerminalException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = DefaultCode;
        Metadata = new Dictionary<string, string>();
    }

    /// <summary>Creates a terminal failure.</summary>
    /// <param name="message">The failure message returned to the caller.</param>
    /// <param name="code">An HTTP-like status code, 400-599 by convention.</param>
    /// <param name="metadata">Key/value pairs carried with the failure (protocol V6 and later).</param>
    public TerminalException(string message, ushort code, IReadOnlyDictionary<string, string>? metadata = null)
        : base(message)
    {
        Code = code;
        Metadata = metadata ?? new Dictionary<string, string>();
    }

    /// <summary>The failure code; the ingress uses it as the HTTP status.</summary>
    public ushort Code { get; }

    /// <summary>Metadata carried with the failure.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>True when this failure reports that the invocation (or the one awaited) was cancelled.</summary>
    public bool IsCancellation => Code == CancelledCode;
}

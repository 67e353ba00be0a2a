namespace Restate.Sdk.Testing.Lambda;

/// <summary>Settings for <see cref="LambdaEmulator.StartAsync(LambdaEmulatorOptions?, CancellationToken)"/>.</summary>
public sealed record LambdaEmulatorOptions
{
    /// <summary>
    /// A fixed port on 127.0.0.1 for the Invoke API; 0, the default, picks a free one. Each function instance gets its
    /// own Runtime API port, always a free one.
    /// </summary>
    public int Port { get; init; }

    /// <summary>
    /// Receives every line the function processes write to stdout or stderr, prefixed with
    /// <c>[function#instance]</c>, plus the <c>START</c>/<c>END</c>/<c>REPORT</c> lines Lambda adds and a line per
    /// Invoke request. For example <c>ITestOutputHelper.WriteLine</c>. Exceptions thrown by the callback are swallowed.
    /// </summary>
    public Action<string>? Log { get; init; }

    /// <summary>
    /// Largest request and response payload of a synchronous invocation, in bytes. Defaults to 6 MiB (6,291,456), the
    /// Lambda quota. A larger request gets 413 <c>RequestTooLargeException</c>; a larger response fails the invocation
    /// with <c>Function.ResponseSizeTooLarge</c>.
    /// </summary>
    public int MaxPayloadBytes { get; init; } = 6 * 1024 * 1024;

    /// <summary>How many recent output lines each function keeps in <see cref="LambdaFunction.RecentLog"/>. Defaults
    /// to 500.</summary>
    public int RecentLogCapacity { get; init; } = 500;
}

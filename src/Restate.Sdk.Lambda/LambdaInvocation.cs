namespace Restate.Sdk.Lambda;

/// <summary>One event handed out by <c>GET /runtime/invocation/next</c>.</summary>
/// <param name="RequestId">The <c>Lambda-Runtime-Aws-Request-Id</c> the result is posted for.</param>
/// <param name="Deadline">When Lambda stops the function (<c>Lambda-Runtime-Deadline-Ms</c>); null when the header is missing.</param>
/// <param name="FunctionArn">The <c>Lambda-Runtime-Invoked-Function-Arn</c>.</param>
/// <param name="TraceId">The <c>Lambda-Runtime-Trace-Id</c> (X-Ray), if any.</param>
/// <param name="Payload">The event, as sent.</param>
internal sealed record LambdaInvocation(string RequestId, DateTimeOffset? Deadline, string? FunctionArn, string? TraceId, byte[] Payload);

/// <summary>A function body: takes the event and returns the response payload.</summary>
/// <param name="invocation">The event.</param>
/// <param name="cancellationToken">Fires shortly before the invocation's deadline, or when the runtime stops.</param>
internal delegate Task<byte[]> LambdaFunction(LambdaInvocation invocation, CancellationToken cancellationToken);

/// <summary>
/// What the Lambda Runtime API says about one invocation, besides its payload: handed to the handler of
/// <see cref="LambdaRuntime.RunAsync(Func{ReadOnlyMemory{byte}, LambdaInvocationContext, CancellationToken, Task{ReadOnlyMemory{byte}}}, CancellationToken)"/>.
/// </summary>
public sealed class LambdaInvocationContext
{
    /// <summary>Describes one invocation (the runtime builds these; tests may build their own).</summary>
    /// <param name="requestId">The <c>Lambda-Runtime-Aws-Request-Id</c>.</param>
    /// <param name="deadline">When Lambda stops the function (<c>Lambda-Runtime-Deadline-Ms</c>), if known.</param>
    /// <param name="invokedFunctionArn">The <c>Lambda-Runtime-Invoked-Function-Arn</c>, if known.</param>
    /// <param name="traceId">The <c>Lambda-Runtime-Trace-Id</c> (X-Ray), if any.</param>
    /// <exception cref="ArgumentException"><paramref name="requestId"/> is null, empty or blank.</exception>
    public LambdaInvocationContext(string requestId, DateTimeOffset? deadline, string? invokedFunctionArn, string? traceId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(requestId);
        RequestId = requestId;
        Deadline = deadline;
        InvokedFunctionArn = invokedFunctionArn;
        TraceId = traceId;
    }

    /// <summary>The invocation's request id (<c>Lambda-Runtime-Aws-Request-Id</c>), as Lambda logs it.</summary>
    public string RequestId { get; }

    /// <summary>
    /// When Lambda stops the function (<c>Lambda-Runtime-Deadline-Ms</c>); null when the Runtime API did not say.
    /// The handler's token fires shortly before it.
    /// </summary>
    public DateTimeOffset? Deadline { get; }

    /// <summary>The ARN the function was invoked by (<c>Lambda-Runtime-Invoked-Function-Arn</c>), with its qualifier if one was used.</summary>
    public string? InvokedFunctionArn { get; }

    /// <summary>
    /// The X-Ray trace header (<c>Lambda-Runtime-Trace-Id</c>), if any; while the handler runs it is also in the
    /// <c>_X_AMZN_TRACE_ID</c> environment variable.
    /// </summary>
    public string? TraceId { get; }
}

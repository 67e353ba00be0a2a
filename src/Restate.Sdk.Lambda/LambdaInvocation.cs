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

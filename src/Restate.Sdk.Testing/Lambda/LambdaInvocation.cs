namespace Restate.Sdk.Testing.Lambda;

/// <summary>How an invocation ended.</summary>
public enum LambdaInvocationStatus
{
    /// <summary>The runtime posted a response (<c>/runtime/invocation/{id}/response</c>).</summary>
    Succeeded,

    /// <summary>The runtime posted an invocation error (<c>/runtime/invocation/{id}/error</c>).</summary>
    FunctionError,

    /// <summary>The process could not be started, or reported <c>/runtime/init/error</c>.</summary>
    InitError,

    /// <summary>The process exited (or asked for the next event) before answering.</summary>
    RuntimeExited,

    /// <summary>The invocation ran past <see cref="LambdaFunctionDefinition.Timeout"/> (or start-up past
    /// <see cref="LambdaFunctionDefinition.InitTimeout"/>); the instance was killed.</summary>
    TimedOut,

    /// <summary>The response was larger than <see cref="LambdaEmulatorOptions.MaxPayloadBytes"/>.</summary>
    ResponseTooLarge,

    /// <summary>The emulator was disposed or the instance stopped while the invocation was pending.</summary>
    Aborted,
}

/// <summary>One completed invocation, in <see cref="LambdaEmulator.Invocations"/>.</summary>
/// <param name="FunctionName">The function's name.</param>
/// <param name="Arn">The ARN the caller invoked (as given in the request path, URL-decoded).</param>
/// <param name="RequestId">The request id the runtime saw in <c>Lambda-Runtime-Aws-Request-Id</c>, and the
/// <c>x-amzn-RequestId</c> of the Invoke response.</param>
/// <param name="Status">How it ended.</param>
/// <param name="Duration">From the arrival of the Invoke request to the outcome, start-up included.</param>
/// <param name="ColdStart">True if a new process was started for it.</param>
/// <param name="InstanceId">The instance (1, 2, … per emulator) that handled it.</param>
/// <param name="ProcessId">The PID of that instance's process; 0 if none was started.</param>
/// <param name="StartedAt">When the Invoke request arrived.</param>
public sealed record LambdaInvocation(
    string FunctionName,
    string Arn,
    string RequestId,
    LambdaInvocationStatus Status,
    TimeSpan Duration,
    bool ColdStart,
    int InstanceId,
    int ProcessId,
    DateTimeOffset StartedAt);

/// <summary>The answer of the Invoke API, as returned by <see cref="LambdaEmulator.InvokeAsync(string, string, CancellationToken)"/>.</summary>
/// <param name="StatusCode">HTTP status: 200 for every completed invocation, failed or not; 404 for an unknown
/// function.</param>
/// <param name="FunctionError">The <c>X-Amz-Function-Error</c> header (<c>Unhandled</c>), or null on success.</param>
/// <param name="Payload">The response body: the function's result, the error JSON, or the API error.</param>
/// <param name="RequestId">The <c>x-amzn-RequestId</c> header.</param>
public sealed record LambdaInvokeResult(int StatusCode, string? FunctionError, string Payload, string? RequestId);

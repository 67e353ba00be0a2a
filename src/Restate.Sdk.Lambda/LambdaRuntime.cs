using System.Net;
using System.Runtime.InteropServices;

namespace Restate.Sdk.Lambda;

/// <summary>
/// The custom-runtime loop: initialize once, then fetch an event, run the function on it and post its result, for
/// as long as the sandbox lives. This replaces Amazon.Lambda.RuntimeSupport and keeps the bootstrap Native-AOT clean.
/// </summary>
/// <remarks>
/// <see cref="RestateLambda"/> serves a Restate endpoint with it; <see cref="RunAsync(Func{ReadOnlyMemory{byte}, LambdaInvocationContext, CancellationToken, Task{ReadOnlyMemory{byte}}}, CancellationToken)"/>
/// serves any other function (say, a CloudFormation custom resource) on the same loop, with raw event bytes in and
/// response bytes out, so the function picks its own (source-generated) JSON.
/// </remarks>
public static class LambdaRuntime
{
    /// <summary>The environment variable X-Ray instrumentation reads the current invocation's trace header from.</summary>
    internal const string TraceIdVariable = "_X_AMZN_TRACE_ID";

    /// <summary>How long before the deadline the function's token fires, leaving time to post what it has.</summary>
    internal static readonly TimeSpan DefaultDeadlineMargin = TimeSpan.FromMilliseconds(500);

    // CancellationTokenSource.CancelAfter takes at most int.MaxValue - 1 milliseconds.
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(int.MaxValue - 1);

    /// <summary>
    /// Serves Lambda invocations with <paramref name="handler"/> until the process ends: each event's bytes go in, and
    /// the bytes it returns are posted as the invocation's response (Lambda expects JSON). When the handler throws,
    /// the exception is posted as the invocation's error (<c>errorType</c> is the exception type's name) and the loop
    /// goes on with the next event.
    /// </summary>
    /// <param name="handler">
    /// The function body, called once per event, one at a time: the event payload, the invocation's
    /// <see cref="LambdaInvocationContext"/>, and a token that fires 500 ms before the invocation's deadline (or when
    /// <paramref name="cancellationToken"/> fires), leaving time to post a response.
    /// </param>
    /// <param name="cancellationToken">Stops serving (Lambda itself freezes or kills the process instead).</param>
    /// <returns>The process exit code: 0 when <paramref name="cancellationToken"/> stopped the loop.</returns>
    /// <exception cref="InvalidOperationException"><c>AWS_LAMBDA_RUNTIME_API</c> is not set: this is not a Lambda sandbox.</exception>
    /// <exception cref="HttpRequestException">The Lambda Runtime API failed; the process should exit.</exception>
    public static Task<int> RunAsync(
        Func<ReadOnlyMemory<byte>, LambdaInvocationContext, CancellationToken, Task<ReadOnlyMemory<byte>>> handler,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var runtimeApi = RuntimeApiFromEnvironment("LambdaRuntime.RunAsync serves invocations inside an AWS Lambda custom runtime (provided.al2023).");
        return RunAsync(runtimeApi, _ => Task.FromResult(CreateFunction(handler)), DefaultDeadlineMargin, cancellationToken);
    }

    /// <summary>The Runtime API address from <c>AWS_LAMBDA_RUNTIME_API</c>.</summary>
    /// <param name="guidance">Appended to the error message when the variable is not set.</param>
    /// <exception cref="InvalidOperationException">The variable is not set.</exception>
    internal static string RuntimeApiFromEnvironment(string guidance)
    {
        var runtimeApi = Environment.GetEnvironmentVariable(LambdaRuntimeClient.RuntimeApiVariable);
        return string.IsNullOrWhiteSpace(runtimeApi)
            ? throw new InvalidOperationException($"{LambdaRuntimeClient.RuntimeApiVariable} is not set: {guidance}")
            : runtimeApi;
    }

    /// <summary>Adapts a public handler to the loop's function shape.</summary>
    internal static LambdaFunction CreateFunction(
        Func<ReadOnlyMemory<byte>, LambdaInvocationContext, CancellationToken, Task<ReadOnlyMemory<byte>>> handler) =>
        async (invocation, cancellationToken) =>
        {
            var context = new LambdaInvocationContext(invocation.RequestId, invocation.Deadline, invocation.FunctionArn, invocation.TraceId);
            var result = await handler(invocation.Payload, context, cancellationToken);
            // The client posts a byte[]: hand over the handler's array when it is exactly the response, else copy.
            return MemoryMarshal.TryGetArray(result, out var segment) && segment.Array is { } array
                && segment.Offset == 0 && segment.Count == array.Length
                ? array
                : result.ToArray();
        };

    /// <summary>Runs the loop on a fresh Runtime API client until <paramref name="cancellationToken"/> fires.</summary>
    internal static async Task<int> RunAsync(string runtimeApi, Func<CancellationToken, Task<LambdaFunction>> initialize,
        TimeSpan deadlineMargin, CancellationToken cancellationToken)
    {
        using var client = new LambdaRuntimeClient(runtimeApi);
        return await RunAsync(client, initialize, deadlineMargin, cancellationToken);
    }

    /// <summary>Runs the loop until <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="client">The Runtime API.</param>
    /// <param name="initialize">Builds the function; when it throws, the error goes to <c>/runtime/init/error</c>.</param>
    /// <param name="deadlineMargin">How long before each deadline the function's token fires.</param>
    /// <param name="cancellationToken">Stops the loop (tests; Lambda itself just freezes or kills the process).</param>
    /// <param name="clock">The clock the deadlines are measured on; the system clock unless a test fakes it.</param>
    /// <returns>The process exit code: 1 when initialization failed, 0 when stopped.</returns>
    /// <exception cref="HttpRequestException">The Runtime API failed to hand out an event: the process should die.</exception>
    internal static async Task<int> RunAsync(LambdaRuntimeClient client, Func<CancellationToken, Task<LambdaFunction>> initialize,
        TimeSpan deadlineMargin, CancellationToken cancellationToken, TimeProvider? clock = null)
    {
        clock ??= TimeProvider.System;
        LambdaFunction function;
        try
        {
            function = await initialize(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync($"Initialization failed: {e}");
            await ReportAsync(() => client.PostInitErrorAsync(e, cancellationToken), "init error");
            return 1;
        }

        while (true)
        {
            try
            {
                var invocation = await client.NextAsync(cancellationToken);
                await InvokeAsync(client, function, invocation, deadlineMargin, clock, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return 0;
            }
        }
    }

    private static async Task InvokeAsync(LambdaRuntimeClient client, LambdaFunction function, LambdaInvocation invocation,
        TimeSpan deadlineMargin, TimeProvider clock, CancellationToken cancellationToken)
    {
        Environment.SetEnvironmentVariable(TraceIdVariable, invocation.TraceId);
        // Fires deadlineMargin before the deadline, on the given clock; without a deadline, never by itself.
        var untilCancel = invocation.Deadline is { } at
            ? TimeSpan.FromTicks(Math.Clamp((at - clock.GetUtcNow() - deadlineMargin).Ticks, 0, MaxDelay.Ticks))
            : Timeout.InfiniteTimeSpan;
        using var timer = new CancellationTokenSource(untilCancel, clock);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);

        byte[] result;
        try
        {
            result = await function(invocation, deadline.Token);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"Invocation {invocation.RequestId} failed: {e}");
            await ReportAsync(() => client.PostErrorAsync(invocation.RequestId, e, cancellationToken), "invocation error");
            return;
        }

        var status = await ReportAsync(() => client.PostResponseAsync(invocation.RequestId, result, cancellationToken), "response");
        if (status == HttpStatusCode.RequestEntityTooLarge)
        {
            await ReportAsync(() => client.PostErrorAsync(invocation.RequestId, "Function.ResponseSizeTooLong",
                $"The response of {result.Length} bytes is over the Lambda payload limit.", cancellationToken), "invocation error");
        }
    }

    /// <summary>Posts to the Runtime API; failures are logged, since the next <c>GET next</c> tells whether it is still there.</summary>
    private static async Task<HttpStatusCode?> ReportAsync(Func<Task<HttpStatusCode>> post, string what)
    {
        try
        {
            var status = await post();
            if ((int)status is < 200 or > 299)
            {
                await Console.Error.WriteLineAsync($"The Lambda Runtime API answered {(int)status} to the {what}.");
            }
            return status;
        }
        catch (HttpRequestException e)
        {
            await Console.Error.WriteLineAsync($"Posting the {what} to the Lambda Runtime API failed: {e.Message}");
            return null;
        }
    }
}

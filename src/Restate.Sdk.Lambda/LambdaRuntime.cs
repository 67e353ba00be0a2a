using System.Net;

namespace Restate.Sdk.Lambda;

/// <summary>
/// The custom-runtime loop: initialize once, then fetch an event, run the function on it and post its result, for
/// as long as the sandbox lives. This replaces Amazon.Lambda.RuntimeSupport and keeps the bootstrap Native-AOT clean.
/// </summary>
internal static class LambdaRuntime
{
    /// <summary>The environment variable X-Ray instrumentation reads the current invocation's trace header from.</summary>
    public const string TraceIdVariable = "_X_AMZN_TRACE_ID";

    /// <summary>How long before the deadline the function's token fires, leaving time to post what it has.</summary>
    public static readonly TimeSpan DefaultDeadlineMargin = TimeSpan.FromMilliseconds(500);

    // CancellationTokenSource.CancelAfter takes at most int.MaxValue - 1 milliseconds.
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(int.MaxValue - 1);

    /// <summary>Runs the loop until <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="client">The Runtime API.</param>
    /// <param name="initialize">Builds the function; when it throws, the error goes to <c>/runtime/init/error</c>.</param>
    /// <param name="deadlineMargin">How long before each deadline the function's token fires.</param>
    /// <param name="cancellationToken">Stops the loop (tests; Lambda itself just freezes or kills the process).</param>
    /// <returns>The process exit code: 1 when initialization failed, 0 when stopped.</returns>
    /// <exception cref="HttpRequestException">The Runtime API failed to hand out an event: the process should die.</exception>
    public static async Task<int> RunAsync(LambdaRuntimeClient client, Func<CancellationToken, Task<LambdaFunction>> initialize,
        TimeSpan deadlineMargin, CancellationToken cancellationToken)
    {
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
                await InvokeAsync(client, function, invocation, deadlineMargin, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return 0;
            }
        }
    }

    private static async Task InvokeAsync(LambdaRuntimeClient client, LambdaFunction function, LambdaInvocation invocation,
        TimeSpan deadlineMargin, CancellationToken cancellationToken)
    {
        Environment.SetEnvironmentVariable(TraceIdVariable, invocation.TraceId);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (invocation.Deadline is { } at)
        {
            var remaining = at - DateTimeOffset.UtcNow - deadlineMargin;
            deadline.CancelAfter(remaining <= TimeSpan.Zero ? TimeSpan.Zero : remaining > MaxDelay ? MaxDelay : remaining);
        }

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

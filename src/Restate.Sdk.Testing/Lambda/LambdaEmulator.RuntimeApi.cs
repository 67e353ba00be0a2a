using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Restate.Sdk.Testing.Lambda;

// The Runtime API each instance polls: next event, response, error, init error.
public sealed partial class LambdaEmulator
{
    private async Task HandleRuntimeApiAsync(FunctionInstance instance, HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var method = context.Request.Method;
        if (path == RuntimeNextPath && HttpMethods.IsGet(method))
        {
            await NextAsync(instance, context).ConfigureAwait(false);
        }
        else if (path == RuntimeInitErrorPath && HttpMethods.IsPost(method))
        {
            await InitErrorAsync(instance, context).ConfigureAwait(false);
        }
        else if (path.StartsWith(RuntimeInvocationPrefix, StringComparison.Ordinal) && HttpMethods.IsPost(method)
            && path[RuntimeInvocationPrefix.Length..].Split('/') is [{ Length: > 0 } requestId, "response" or "error"])
        {
            await ResultAsync(instance, context, requestId, path.EndsWith("/error", StringComparison.Ordinal))
                .ConfigureAwait(false);
        }
        else
        {
            await WriteRuntimeErrorAsync(context, StatusCodes.Status404NotFound, "NotFound",
                $"The Lambda emulator does not implement {method} {path}.").ConfigureAwait(false);
        }
    }

    private async Task NextAsync(FunctionInstance instance, HttpContext context)
    {
        PendingInvocation? ready = null;
        TaskCompletionSource<PendingInvocation?>? parked = null;
        PendingInvocation? abandoned = null;
        lock (_gate)
        {
            if (!instance.Dead)
            {
                if (!instance.Initialized)
                {
                    instance.Initialized = true;
                    instance.InitDuration = instance.Age.Elapsed;
                    instance.InitTimer?.Dispose();
                    instance.InitTimer = null;
                }

                if (instance.Current is { Delivered: true } unanswered)
                {
                    abandoned = unanswered;
                    CompleteLocked(unanswered, LambdaInvocationStatus.RuntimeExited, ErrorJson("Runtime.NoResponse",
                        $"RequestId: {unanswered.RequestId} Error: the runtime asked for the next event without " +
                        "posting a response or an error"));
                }

                if (instance.Current is { } assigned)
                {
                    DeliverLocked(instance, assigned);
                    ready = assigned;
                }
                else
                {
                    instance.ParkedNext?.TrySetResult(null); // a second concurrent /next: the first one gives up
                    parked = new TaskCompletionSource<PendingInvocation?>(TaskCreationOptions.RunContinuationsAsynchronously);
                    instance.ParkedNext = parked;
                }
            }
        }

        if (abandoned is not null)
        {
            instance.Function.WriteLog(instance.Id,
                $"[lambda] RequestId: {abandoned.RequestId} failed: /next without a response");
        }

        if (parked is not null)
        {
            using (context.RequestAborted.UnsafeRegister(_ => parked.TrySetResult(null), null))
            {
                ready = await parked.Task.ConfigureAwait(false);
            }

            if (ready is null)
            {
                lock (_gate)
                {
                    if (instance.ParkedNext == parked)
                    {
                        instance.ParkedNext = null;
                    }
                }
            }
        }

        if (ready is null)
        {
            if (!context.RequestAborted.IsCancellationRequested)
            {
                await WriteRuntimeErrorAsync(context, StatusCodes.Status500InternalServerError, "Sandbox.Stopping",
                    "This instance is being discarded; exit.").ConfigureAwait(false);
            }

            return;
        }

        instance.Function.WriteLog(instance.Id,
            $"START RequestId: {ready.RequestId} Version: {instance.Function.Definition.Version}");
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = JsonContentType;
        response.Headers["Lambda-Runtime-Aws-Request-Id"] = ready.RequestId;
        response.Headers["Lambda-Runtime-Deadline-Ms"] = ready.DeadlineMs.ToString(CultureInfo.InvariantCulture);
        response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = ready.Arn;
        response.Headers["Lambda-Runtime-Trace-Id"] = ready.TraceId;
        response.ContentLength = ready.Payload.Length;
        await response.Body.WriteAsync(ready.Payload, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task ResultAsync(FunctionInstance instance, HttpContext context, string requestId, bool isError)
    {
        var (body, tooLarge) = await ReadBodyAsync(context.Request, _options.MaxPayloadBytes, context.RequestAborted)
            .ConfigureAwait(false);
        PendingInvocation? invocation;
        lock (_gate)
        {
            invocation = instance.Current is { Delivered: true } current && current.RequestId == requestId ? current : null;
            if (invocation is not null)
            {
                if (tooLarge)
                {
                    CompleteLocked(invocation, LambdaInvocationStatus.ResponseTooLarge, ErrorJson(
                        "Function.ResponseSizeTooLarge",
                        $"Response payload size exceeded maximum allowed payload size ({_options.MaxPayloadBytes} bytes)."));
                }
                else if (isError)
                {
                    var errorType = context.Request.Headers["Lambda-Runtime-Function-Error-Type"].FirstOrDefault();
                    CompleteLocked(invocation, LambdaInvocationStatus.FunctionError,
                        NormalizeError(body, errorType ?? "Runtime.Unknown"));
                }
                else
                {
                    CompleteLocked(invocation, LambdaInvocationStatus.Succeeded, body);
                }
            }
        }

        if (invocation is null)
        {
            await WriteRuntimeErrorAsync(context, StatusCodes.Status400BadRequest, "InvalidRequestID",
                $"Invalid request ID: {requestId} is not the invocation this instance is running").ConfigureAwait(false);
        }
        else if (tooLarge)
        {
            await WriteRuntimeErrorAsync(context, StatusCodes.Status413PayloadTooLarge, "RequestEntityTooLarge",
                $"Exceeded maximum allowed payload size ({_options.MaxPayloadBytes} bytes).").ConfigureAwait(false);
        }
        else
        {
            await WriteJsonAsync(context, StatusCodes.Status202Accepted, """{"status":"OK"}"""u8.ToArray())
                .ConfigureAwait(false);
        }
    }

    private async Task InitErrorAsync(FunctionInstance instance, HttpContext context)
    {
        var (body, _) = await ReadBodyAsync(context.Request, _options.MaxPayloadBytes, context.RequestAborted)
            .ConfigureAwait(false);
        bool accepted;
        lock (_gate)
        {
            accepted = !instance.Initialized;
            if (accepted)
            {
                instance.Dead = true;
                if (instance.Current is { } current)
                {
                    var errorType = context.Request.Headers["Lambda-Runtime-Function-Error-Type"].FirstOrDefault();
                    CompleteLocked(current, LambdaInvocationStatus.InitError,
                        NormalizeError(body, errorType ?? "Runtime.InitError"));
                }
            }
        }

        if (!accepted)
        {
            await WriteRuntimeErrorAsync(context, StatusCodes.Status403Forbidden, "InvalidStateTransition",
                "State transition from Ready to InitError failed: the runtime has already asked for an event.")
                .ConfigureAwait(false);
            return;
        }

        instance.Function.WriteLog(instance.Id, $"[lambda] init error: {Encoding.UTF8.GetString(body)}");
        await WriteJsonAsync(context, StatusCodes.Status202Accepted, """{"status":"OK"}"""u8.ToArray())
            .ConfigureAwait(false);
        _ = Retire(instance, InitErrorExitGrace);
    }
}

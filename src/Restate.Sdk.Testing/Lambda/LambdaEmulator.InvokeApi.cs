using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Restate.Sdk.Testing.Lambda;

// The Invoke API: what restate-server calls, resolved to a function and answered like AWS Lambda.
public sealed partial class LambdaEmulator
{
    private async Task HandleInvokeApiAsync(HttpContext context)
    {
        var request = context.Request;
        // Kestrel has already decoded %3A in the path. Tolerate an endpoint URL with a trailing slash ("//2015-…").
        var path = "/" + (request.Path.Value ?? "").TrimStart('/');
        if (!HttpMethods.IsPost(request.Method)
            || !path.StartsWith(InvokePrefix, StringComparison.Ordinal)
            || !path.EndsWith(InvokeSuffix, StringComparison.Ordinal)
            || path.Length <= InvokePrefix.Length + InvokeSuffix.Length)
        {
            await WriteApiErrorAsync(context, StatusCodes.Status404NotFound, "UnknownOperationException",
                $"The Lambda emulator implements only POST {InvokePrefix}{{FunctionName}}{InvokeSuffix}, not {request.Method} {path}.")
                .ConfigureAwait(false);
            return;
        }

        var functionName = path[InvokePrefix.Length..^InvokeSuffix.Length];
        var qualifier = request.Query["Qualifier"].FirstOrDefault();
        var (function, arn) = Resolve(functionName, qualifier);
        if (function is null)
        {
            Emit($"[lambda] POST {path} -> 404 ResourceNotFoundException");
            await WriteApiErrorAsync(context, StatusCodes.Status404NotFound, "ResourceNotFoundException",
                $"Function not found: {arn}").ConfigureAwait(false);
            return;
        }

        var invocationType = request.Headers["X-Amz-Invocation-Type"].FirstOrDefault() ?? "RequestResponse";
        if (invocationType == "DryRun")
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        if (invocationType != "RequestResponse")
        {
            await WriteApiErrorAsync(context, StatusCodes.Status400BadRequest, "InvalidParameterValueException",
                $"The Lambda emulator supports only the RequestResponse and DryRun invocation types, not '{invocationType}'.")
                .ConfigureAwait(false);
            return;
        }

        var (payload, tooLarge) = await ReadBodyAsync(request, _options.MaxPayloadBytes, context.RequestAborted)
            .ConfigureAwait(false);
        if (tooLarge)
        {
            await WriteApiErrorAsync(context, StatusCodes.Status413PayloadTooLarge, "RequestTooLargeException",
                $"Request must be smaller than {_options.MaxPayloadBytes} bytes for the InvokeFunction operation")
                .ConfigureAwait(false);
            return;
        }

        var (invocation, outcome) = await InvokeCoreAsync(function, arn, payload).ConfigureAwait(false);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = JsonContentType;
        response.Headers["x-amzn-RequestId"] = invocation.RequestId;
        response.Headers["X-Amz-Executed-Version"] = function.Definition.Version;
        if (outcome.Status != LambdaInvocationStatus.Succeeded)
        {
            response.Headers[FunctionErrorHeader] = "Unhandled";
        }

        response.ContentLength = outcome.Body.Length;
        Emit(string.Create(CultureInfo.InvariantCulture,
            $"[lambda] POST {InvokePrefix}{arn}{InvokeSuffix} -> 200 {outcome.Status} ({(invocation.ColdStart ? "cold" : "warm")}, " +
            $"instance #{invocation.Instance?.Id}, {invocation.Elapsed.Elapsed.TotalMilliseconds:F1} ms)"));
        await response.Body.WriteAsync(outcome.Body, context.RequestAborted).ConfigureAwait(false);
    }

    private (LambdaFunction? Function, string Arn) Resolve(string functionName, string? qualifier)
    {
        lock (_gate)
        {
            if (functionName.StartsWith("arn:", StringComparison.Ordinal))
            {
                var parts = functionName.Split(':');
                var arn = parts.Length == 7 && qualifier is null && _functionsByName.TryGetValue(parts[6], out var byName)
                    ? $"{functionName}:{byName.Definition.Version}" // unqualified ARN: the registered version
                    : parts.Length == 7 && qualifier is not null ? $"{functionName}:{qualifier}" : functionName;
                return (_functionsByArn.GetValueOrDefault(arn), arn);
            }

            // A plain name, "name:qualifier", or name plus ?Qualifier=.
            var separator = functionName.IndexOf(':', StringComparison.Ordinal);
            var name = separator < 0 ? functionName : functionName[..separator];
            qualifier = separator < 0 ? qualifier : functionName[(separator + 1)..];
            if (_functionsByName.TryGetValue(name, out var function))
            {
                var qualified = $"arn:aws:lambda:{function.Definition.Region}:{function.Definition.AccountId}:function:{name}:" +
                    (qualifier ?? function.Definition.Version);
                return (function.Arns.Contains(qualified) ? function : null, qualified);
            }

            return (null,
                $"arn:aws:lambda:{LambdaArn.DefaultRegion}:{LambdaArn.DefaultAccountId}:function:{functionName}");
        }
    }

    private async Task<(PendingInvocation Invocation, InvocationOutcome Outcome)> InvokeCoreAsync(LambdaFunction function, string arn, byte[] payload)
    {
        var invocation = new PendingInvocation(Guid.NewGuid().ToString(), function, arn, payload);
        FunctionInstance? coldInstance = null;
        lock (_gate)
        {
            if (_disposed)
            {
                CompleteLocked(invocation, LambdaInvocationStatus.Aborted,
                    ErrorJson("Runtime.Aborted", "The Lambda emulator was disposed."));
                return (invocation, invocation.Outcome.Task.Result);
            }

            var idle = function.Instances.Where(i => !i.Dead && i.Current is null).MinBy(i => i.Id);
            if (idle is not null)
            {
                AssignLocked(idle, invocation);
            }
            else
            {
                coldInstance = new FunctionInstance(++_nextInstanceId, function);
                function.Instances.Add(coldInstance);
                _instances.Add(coldInstance);
                invocation.ColdStart = true;
                AssignLocked(coldInstance, invocation);
            }

            function.CountInvocation(invocation.ColdStart);
        }

        if (coldInstance is not null)
        {
            await LaunchAsync(coldInstance).ConfigureAwait(false);
        }

        var outcome = await invocation.Outcome.Task.ConfigureAwait(false);
        if (invocation.Instance is { } instance && invocation.Delivered)
        {
            function.WriteLog(instance.Id, $"END RequestId: {invocation.RequestId}");
            var duration = invocation.Running?.Elapsed ?? TimeSpan.Zero;
            var init = invocation.ColdStart && instance.InitDuration is { } initDuration
                ? string.Create(CultureInfo.InvariantCulture, $"\tInit Duration: {initDuration.TotalMilliseconds:F2} ms")
                : "";
            function.WriteLog(instance.Id, string.Create(CultureInfo.InvariantCulture,
                $"REPORT RequestId: {invocation.RequestId}\tDuration: {duration.TotalMilliseconds:F2} ms\t" +
                $"Billed Duration: {Math.Ceiling(duration.TotalMilliseconds):F0} ms\t" +
                $"Memory Size: {function.Definition.MemorySizeMb} MB{init}\tStatus: {outcome.Status}"));
        }

        return (invocation, outcome);
    }
}

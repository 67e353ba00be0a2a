using System.Globalization;

namespace Restate.Sdk.Definitions;

/// <summary>
/// Where each <see cref="HandlerOptions"/> setting may go, checked when a definition is built so that a mistake fails
/// at startup with a message naming the setting and its place, not at <c>restate deployments register</c>.
/// </summary>
/// <remarks>
/// The rules are restate-server 1.7's (its endpoint manifest schema, and the checks it makes when it turns a manifest
/// into a service revision):
/// <list type="bullet">
/// <item><c>workflowCompletionRetention</c> exists only on handler objects, and only on a workflow's run handler
/// (the service object has no such field, and the server refuses unknown fields).</item>
/// <item><c>idempotencyRetention</c> is refused on a workflow's run handler; on a workflow's service options it
/// applies to the shared handlers.</item>
/// <item>a handler of an ingress-private service cannot set <c>ingressPrivate: false</c>.</item>
/// <item>durations and <c>retryPolicyMaxAttempts</c> are unsigned in the schema; metadata values are strings.</item>
/// </list>
/// <c>Accept</c> and <c>ContentType</c> (the manifest's <c>input.contentType</c>/<c>output.contentType</c>) belong to
/// a handler with an input or an output, and follow <see cref="MediaTypes"/> (the generator's RESTATE020 rules).
/// Stricter than the server, as the attributes are (RESTATE013): <c>RetryMaxAttempts</c> of at least 1 (the server
/// reads 0 as 1) and a finite <c>RetryExponentiationFactor</c> of at least 1 (JSON has no NaN or infinity; a factor
/// below 1 shrinks the delays).
/// </remarks>
internal static class OptionRules
{
    private const string RunHandlerHint = "set it in the HandlerOptions of the workflow's Run handler";

    /// <summary>Throws <see cref="InvalidOperationException"/> naming the first setting restate-server would refuse.</summary>
    public static void Validate(string service, ServiceKind kind, HandlerOptions? serviceOptions, IReadOnlyList<HandlerDefinition> handlers)
    {
        var serviceName = $"{KindName(kind)} '{service}'";
        if (serviceOptions is not null)
        {
            CheckValues(serviceName, serviceOptions);
            if (serviceOptions.WorkflowCompletionRetention is not null)
            {
                throw Invalid(serviceName, kind == ServiceKind.Workflow
                    ? $"WorkflowCompletionRetention belongs to the workflow's run handler, not to the service: {RunHandlerHint} (restate-server has no service-level completion retention)"
                    : "WorkflowCompletionRetention applies only to a workflow's run handler, and this is not a workflow");
            }
            if (serviceOptions.Accept is not null || serviceOptions.ContentType is not null)
            {
                throw Invalid(serviceName,
                    $"{(serviceOptions.Accept is not null ? "Accept" : "ContentType")} describes the request or response body of one handler: " +
                    "set it in the HandlerOptions of that handler, not of the service");
            }
        }
        var servicePrivate = serviceOptions?.IngressPrivate == true;
        foreach (var handler in handlers)
        {
            if (handler.Options is not { } options)
            {
                continue;
            }
            var handlerName = $"{HandlerKindName(kind, handler.Kind)} '{service}/{handler.Name}'";
            CheckValues(handlerName, options);
            if (options.WorkflowCompletionRetention is not null && handler.Kind != HandlerKind.Workflow)
            {
                throw Invalid(handlerName, kind == ServiceKind.Workflow
                    ? $"WorkflowCompletionRetention applies only to the run handler: {RunHandlerHint}"
                    : "WorkflowCompletionRetention applies only to a workflow's run handler");
            }
            if (options.IdempotencyRetention is not null && handler.Kind == HandlerKind.Workflow)
            {
                throw Invalid(handlerName,
                    "IdempotencyRetention does not apply to a run handler, which keeps its result for WorkflowCompletionRetention " +
                    "instead; IdempotencyRetention in the workflow's service options applies to its shared handlers");
            }
            if (options.Accept is { } accept
                && (handler.TakesInput ? MediaTypes.AcceptProblem(accept) : "the handler takes no input, so there is no request body to accept") is { } acceptProblem)
            {
                throw Invalid(handlerName, $"Accept '{accept}' is invalid: {acceptProblem}");
            }
            if (options.ContentType is { } contentType
                && (handler.ReturnsOutput ? MediaTypes.ContentTypeProblem(contentType) : "the handler returns no output, so there is no response body to label")
                    is { } contentTypeProblem)
            {
                throw Invalid(handlerName, $"ContentType '{contentType}' is invalid: {contentTypeProblem}");
            }
            if (servicePrivate && options.IngressPrivate == false)
            {
                throw Invalid(handlerName,
                    $"IngressPrivate = false cannot expose a handler of an ingress-private service: make '{service}' public and " +
                    "set IngressPrivate = true on the handlers to hide");
            }
        }
    }

    private static void CheckValues(string where, HandlerOptions options)
    {
        NotNegative(where, nameof(HandlerOptions.InactivityTimeout), options.InactivityTimeout);
        NotNegative(where, nameof(HandlerOptions.AbortTimeout), options.AbortTimeout);
        NotNegative(where, nameof(HandlerOptions.JournalRetention), options.JournalRetention);
        NotNegative(where, nameof(HandlerOptions.IdempotencyRetention), options.IdempotencyRetention);
        NotNegative(where, nameof(HandlerOptions.WorkflowCompletionRetention), options.WorkflowCompletionRetention);
        NotNegative(where, nameof(HandlerOptions.RetryInitialInterval), options.RetryInitialInterval);
        NotNegative(where, nameof(HandlerOptions.RetryMaxInterval), options.RetryMaxInterval);
        if (options.RetryMaxAttempts is < 1)
        {
            throw Invalid(where, $"RetryMaxAttempts is {options.RetryMaxAttempts}: it must be at least 1");
        }
        if (options.RetryExponentiationFactor is { } factor && !(factor >= 1 && double.IsFinite(factor)))
        {
            throw Invalid(where,
                $"RetryExponentiationFactor is {factor.ToString(CultureInfo.InvariantCulture)}: it must be a finite number of at least 1");
        }
        if (options.RetryOnMaxAttempts is { } onMax && !Enum.IsDefined(onMax))
        {
            throw Invalid(where,
                $"RetryOnMaxAttempts is {(int)onMax}, not a value of OnMaxAttempts: use OnMaxAttempts.Pause or OnMaxAttempts.Kill");
        }
        if (options.OnJournalMismatch is { } onMismatch && !Enum.IsDefined(onMismatch))
        {
            throw Invalid(where,
                $"OnJournalMismatch is {(int)onMismatch}, not a value of OnJournalMismatch: use OnJournalMismatch.Retry, OnJournalMismatch.Pause or OnJournalMismatch.Fail");
        }
        if (options.Metadata is { } metadata)
        {
            foreach (var (key, value) in metadata)
            {
                if (value is null)
                {
                    throw Invalid(where, $"Metadata '{key}' has no value: metadata values are strings");
                }
            }
        }
    }

    private static void NotNegative(string where, string option, TimeSpan? value)
    {
        if (value < TimeSpan.Zero)
        {
            throw Invalid(where, $"{option} is {value}, negative: durations are zero or more");
        }
    }

    private static InvalidOperationException Invalid(string where, string message) => new($"{where}: {message}.");

    private static string KindName(ServiceKind kind) => kind switch
    {
        ServiceKind.VirtualObject => "Virtual object",
        ServiceKind.Workflow => "Workflow",
        _ => "Service",
    };

    private static string HandlerKindName(ServiceKind service, HandlerKind handler) => (service, handler) switch
    {
        (ServiceKind.Workflow, HandlerKind.Workflow) => "Run handler",
        (ServiceKind.Workflow, _) => "Shared workflow handler",
        (ServiceKind.VirtualObject, HandlerKind.Shared) => "Shared handler",
        (ServiceKind.VirtualObject, _) => "Exclusive handler",
        _ => "Handler",
    };
}

using System.Text.Json;
using Restate.Sdk.Lambda;

namespace Holiday.Registrar;

/// <summary>
/// The <c>onEvent</c> handler behind CDK's custom-resource provider framework. Create and Update register the
/// <c>DeploymentArn</c> with Restate and check that the expected services came back; Delete removes the deployment
/// when nothing runs on it any more, and never fails. A failure is thrown: the runtime posts it as the invocation's
/// error, and the framework reports its message to CloudFormation as the FAILED reason.
/// </summary>
/// <param name="http">For the admin API; no timeout of its own (see <see cref="CreateHttpClient"/>).</param>
/// <param name="tokens">Reads the admin API token named by <c>AuthTokenParameter</c>.</param>
/// <param name="options">The time bounds.</param>
/// <param name="log">Where progress lines go (the function's log); standard output when null.</param>
internal sealed class RegistrarFunction(HttpClient http, IAuthTokenSource tokens, RegistrarOptions options, Action<string>? log = null)
{
    private readonly Action<string> _log = log ?? Console.WriteLine;

    /// <summary>An HTTP client for <see cref="RegistrarFunction"/>: each request gets its own deadline instead of a global timeout.</summary>
    public static HttpClient CreateHttpClient() =>
        new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10), PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };

    /// <summary>The Lambda handler: parses the event, acts on it and returns the framework's response document.</summary>
    /// <exception cref="RegistrationFailedException">Create or Update failed; the message says why, for CloudFormation.</exception>
    public async Task<ReadOnlyMemory<byte>> HandleAsync(ReadOnlyMemory<byte> payload, LambdaInvocationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var customResourceEvent = Parse(payload.Span);
        var what = $"{customResourceEvent.RequestType} {customResourceEvent.LogicalResourceId} ({customResourceEvent.RequestId})";
        try
        {
            var response = await ProcessAsync(customResourceEvent, context.Deadline, cancellationToken);
            _log($"{what}: done, physical id {response.PhysicalResourceId}" +
                (response.Data is { } data ? $", {string.Join(", ", data.Select(pair => $"{pair.Key}={pair.Value}"))}" : ""));
            return JsonSerializer.SerializeToUtf8Bytes(response, RegistrarJsonContext.Default.ProviderResponse);
        }
        catch (RegistrationFailedException e)
        {
            _log($"{what}: FAILED: {e.Message}");
            throw;
        }
    }

    /// <summary>Acts on an event.</summary>
    /// <param name="customResourceEvent">The event.</param>
    /// <param name="deadline">The Lambda invocation's deadline: the work stops <see cref="RegistrarOptions.DeadlineReserve"/> before it.</param>
    /// <param name="cancellationToken">Stops the work (it then fails).</param>
    /// <returns>The physical id and, for Create and Update, <c>Data.DeploymentId</c> and <c>Data.Services</c>.</returns>
    /// <exception cref="RegistrationFailedException">Create or Update failed, or the event is unusable; never for Delete.</exception>
    public async Task<ProviderResponse> ProcessAsync(CustomResourceEvent customResourceEvent, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customResourceEvent);
        switch (customResourceEvent.RequestType)
        {
            case "Delete":
                return await DeleteAsync(customResourceEvent, deadline, cancellationToken);
            case "Create" or "Update":
                break;
            default:
                throw new RegistrationFailedException(
                    $"RequestType '{customResourceEvent.RequestType}' is not Create, Update or Delete; this function expects the events of CDK's custom-resource provider framework.");
        }

        if (!RegistrationProperties.TryParse(customResourceEvent.ResourceProperties, out var properties, out var error))
        {
            throw new RegistrationFailedException(error);
        }

        using var work = WorkToken(deadline, null, cancellationToken);
        var stage = "starting";
        try
        {
            var admin = await ConnectAsync(properties.AdminUrl, properties.AuthTokenParameter, s => stage = s, work.Token);
            stage = $"waiting for Restate's admin API at {properties.AdminUrl} to be healthy";
            await admin.WaitUntilHealthyAsync(work.Token);
            stage = $"registering {properties.DeploymentArn} with Restate at {properties.AdminUrl}";
            var deployment = await admin.RegisterAsync(properties.DeploymentArn, properties.AssumeRoleArn, work.Token);
            var missing = properties.ExpectedServices.Where(name => !deployment.Services.Contains(name, StringComparer.Ordinal)).ToList();
            if (missing.Count > 0)
            {
                throw new RegistrationFailedException(
                    $"Restate registered {properties.DeploymentArn} as {deployment.Id}, but it does not expose the expected service{(missing.Count == 1 ? "" : "s")} " +
                    $"{string.Join(", ", missing.Select(name => $"'{name}'"))} ({RegistrationProperties.ExpectedServicesName}); " +
                    $"the services that came back are {(deployment.Services.Count == 0 ? "none" : string.Join(", ", deployment.Services.Select(name => $"'{name}'")))}. " +
                    "Check which service the function serves (HOLIDAY_SERVICE).");
            }
            return new ProviderResponse
            {
                // A new version is a new physical id: CloudFormation then sends a Delete for the old one after the update.
                PhysicalResourceId = properties.DeploymentArn,
                Data = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["DeploymentId"] = deployment.Id,
                    ["Services"] = string.Join(",", deployment.Services),
                },
            };
        }
        catch (OperationCanceledException e) when (work.IsCancellationRequested)
        {
            throw new RegistrationFailedException(cancellationToken.IsCancellationRequested
                ? $"Stopped while {stage}."
                : $"Ran out of time while {stage}: the Lambda invocation ends at {deadline:O}. Raise the registrar function's timeout.", e);
        }
        catch (Exception e) when (e is not RegistrationFailedException)
        {
            throw new RegistrationFailedException($"Failed while {stage}: {e.GetType().Name}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Best-effort removal, never a failure: the deployment registered for the ARN is removed only when no invocation
    /// that has not completed is pinned to it (those must be able to finish on their version). Everything else (a
    /// property that makes no sense, an admin API that is down or refuses, running out of the
    /// <see cref="RegistrarOptions.DeleteTimeout"/> budget) is logged and the Delete succeeds.
    /// </summary>
    private async Task<ProviderResponse> DeleteAsync(CustomResourceEvent customResourceEvent, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        // The framework refuses a Delete answer whose physical id differs from the event's.
        var physicalId = NonEmpty(customResourceEvent.PhysicalResourceId) ?? NonEmpty(customResourceEvent.LogicalResourceId) ?? "holiday-registrar";
        var response = new ProviderResponse { PhysicalResourceId = physicalId };
        var properties = customResourceEvent.ResourceProperties ?? [];

        _ = RegistrationProperties.TryGetString(properties, RegistrationProperties.DeploymentArnName, required: false, out var propertyArn, out _);
        var deploymentArn = RegistrationProperties.IsQualifiedFunctionArn(physicalId) ? physicalId : propertyArn;
        if (deploymentArn is null || !RegistrationProperties.IsQualifiedFunctionArn(deploymentArn))
        {
            _log($"Delete {physicalId}: nothing to remove, the resource names no qualified function ARN (a Create that failed early leaves none).");
            return response;
        }
        _ = RegistrationProperties.TryGetString(properties, RegistrationProperties.AdminUrlName, required: false, out var adminUrlText, out _);
        if (adminUrlText is null || !RegistrationProperties.TryParseAdminUrl(adminUrlText, out var adminUrl))
        {
            _log($"Delete {deploymentArn}: left registered, property {RegistrationProperties.AdminUrlName} '{adminUrlText}' is not a usable URL.");
            return response;
        }
        _ = RegistrationProperties.TryGetString(properties, RegistrationProperties.AuthTokenParameterName, required: false, out var tokenParameter, out _);

        using var work = WorkToken(deadline, options.DeleteTimeout, cancellationToken);
        var stage = "starting";
        try
        {
            var admin = await ConnectAsync(adminUrl, tokenParameter, s => stage = s, work.Token);
            stage = $"listing the deployments at {adminUrl}";
            var ids = await admin.FindDeploymentsAsync(deploymentArn, work.Token);
            if (ids.Count == 0)
            {
                _log($"Delete {deploymentArn}: not registered with Restate at {adminUrl}, nothing to remove.");
                return response;
            }
            foreach (var id in ids)
            {
                stage = $"looking for invocations in flight on {id}";
                var inFlight = await admin.FindInFlightInvocationsAsync(id, limit: 5, work.Token);
                if (inFlight.Count > 0)
                {
                    _log($"Delete {deploymentArn}: kept Restate deployment {id}, invocations are still in flight on it " +
                        $"({string.Join(", ", inFlight.Select(row => $"{row.Id} {row.Status}"))}{(inFlight.Count >= 5 ? ", …" : "")}); " +
                        $"remove it once they finish: restate deployments remove {id}");
                    continue;
                }
                stage = $"removing {id}";
                var removed = await admin.RemoveDeploymentAsync(id, work.Token);
                _log(removed
                    ? $"Delete {deploymentArn}: removed Restate deployment {id}, no invocation was in flight on it."
                    : $"Delete {deploymentArn}: Restate deployment {id} was already gone.");
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || work.IsCancellationRequested)
        {
            var why = e is OperationCanceledException
                ? cancellationToken.IsCancellationRequested ? "the invocation was stopped" : $"out of time (the Delete's budget is {options.DeleteTimeout})"
                : e.Message;
            _log($"Delete {deploymentArn}: left the Restate deployment registered, failed while {stage}: {why}. The Delete succeeds anyway.");
        }
        return response;
    }

    /// <summary>Reads the token, if any, and returns the admin client.</summary>
    private async Task<RestateAdminClient> ConnectAsync(Uri adminUrl, string? tokenParameter, Action<string> setStage, CancellationToken cancellationToken)
    {
        string? token = null;
        if (tokenParameter is not null)
        {
            setStage($"reading the auth token from SSM parameter {tokenParameter} ({RegistrationProperties.AuthTokenParameterName})");
            token = await tokens.GetTokenAsync(tokenParameter, cancellationToken);
        }
        return new RestateAdminClient(http, adminUrl, token, options);
    }

    /// <summary>A token that fires <see cref="RegistrarOptions.DeadlineReserve"/> before the deadline, after <paramref name="budget"/>, or on cancellation.</summary>
    private CancellationTokenSource WorkToken(DateTimeOffset? deadline, TimeSpan? budget, CancellationToken cancellationToken)
    {
        var work = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var limit = budget ?? Timeout.InfiniteTimeSpan;
        if (deadline is { } at)
        {
            var left = at - DateTimeOffset.UtcNow - options.DeadlineReserve;
            left = left > TimeSpan.Zero ? left : TimeSpan.Zero;
            limit = limit == Timeout.InfiniteTimeSpan || left < limit ? left : limit;
        }
        if (limit != Timeout.InfiniteTimeSpan)
        {
            work.CancelAfter(limit);
        }
        return work;
    }

    /// <summary>Parses the event; a document that is not shaped like one fails with the reason.</summary>
    /// <exception cref="RegistrationFailedException">The payload is not a custom resource event.</exception>
    internal static CustomResourceEvent Parse(ReadOnlySpan<byte> payload)
    {
        try
        {
            return JsonSerializer.Deserialize(payload, RegistrarJsonContext.Default.CustomResourceEvent)
                ?? throw new RegistrationFailedException("The event is JSON null, not a custom resource event.");
        }
        catch (JsonException e)
        {
            throw new RegistrationFailedException($"The event is not a custom resource event: {e.Message}", e);
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

using System.Text.Json;
using Restate.Sdk.Lambda;

namespace Holiday.Registrar;

/// <summary>
/// The custom resource's Lambda handler: registers the <c>DeploymentArn</c> with Restate on Create and Update, leaves
/// it registered on Delete, and always PUTs a response to the event's <c>ResponseURL</c> (else CloudFormation waits
/// an hour for one).
/// </summary>
/// <param name="http">For the admin API and the response PUT; no timeout of its own (see <see cref="CreateHttpClient"/>).</param>
/// <param name="tokens">Reads the admin API token named by <c>AuthTokenParameter</c>.</param>
/// <param name="options">The time bounds.</param>
internal sealed class RegistrarFunction(HttpClient http, IAuthTokenSource tokens, RegistrarOptions options)
{
    /// <summary>CloudFormation's limit on a response body.</summary>
    internal const int MaxResponseBytes = 4096;

    private const string DeleteNote =
        "The Restate deployment was left registered: invocations in flight on this version must be able to finish. " +
        "Remove it once drained (restate deployments remove <id>).";

    /// <summary>An HTTP client for <see cref="RegistrarFunction"/>: each request gets its own deadline instead of a global timeout.</summary>
    public static HttpClient CreateHttpClient() =>
        new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10), PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };

    /// <summary>
    /// The Lambda handler: parses the event, acts on it, PUTs the response to its <c>ResponseURL</c> and returns the
    /// response body (CloudFormation invokes asynchronously and ignores it; it is for the logs).
    /// </summary>
    /// <exception cref="InvalidOperationException">The event has no usable <c>ResponseURL</c>: nobody can be answered.</exception>
    /// <exception cref="HttpRequestException">The response PUT failed (the Lambda error makes Lambda retry the event).</exception>
    public async Task<ReadOnlyMemory<byte>> HandleAsync(ReadOnlyMemory<byte> payload, LambdaInvocationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (customResourceEvent, parseError) = Parse(payload.Span);
        if (!Uri.TryCreate(customResourceEvent.ResponseUrl, UriKind.Absolute, out var responseUrl)
            || (responseUrl.Scheme != Uri.UriSchemeHttps && responseUrl.Scheme != Uri.UriSchemeHttp))
        {
            throw new InvalidOperationException(
                $"The event has no usable ResponseURL, so CloudFormation cannot be answered{(parseError is null ? "" : $" ({parseError})")}.");
        }

        var response = parseError is null
            ? await ProcessAsync(customResourceEvent, context.Deadline, cancellationToken)
            : Failed(customResourceEvent, null, parseError);
        var body = Serialize(response);
        Console.WriteLine($"{customResourceEvent.RequestType} {customResourceEvent.LogicalResourceId} ({customResourceEvent.RequestId}): " +
            $"{response.Status} {response.PhysicalResourceId}{(response.Reason is null ? "" : $": {response.Reason}")}");
        await PutResponseAsync(responseUrl, body);
        return body;
    }

    /// <summary>Acts on an event and says what to answer; never throws (a failure becomes a FAILED response).</summary>
    /// <param name="customResourceEvent">The event.</param>
    /// <param name="deadline">The Lambda invocation's deadline: the work stops <see cref="RegistrarOptions.ResponseReserve"/> before it.</param>
    /// <param name="cancellationToken">Stops the work (it is then reported as FAILED).</param>
    public async Task<CustomResourceResponse> ProcessAsync(CustomResourceEvent customResourceEvent, DateTimeOffset? deadline,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customResourceEvent);
        switch (customResourceEvent.RequestType)
        {
            case "Delete":
                // Deleting would break invocations still running on this version; and a Delete also follows a failed
                // Create, whose properties may be the reason it failed. So: nothing to check, nothing to do.
                return new CustomResourceResponse
                {
                    Status = CustomResourceResponse.Success,
                    Reason = DeleteNote,
                    PhysicalResourceId = FallbackId(customResourceEvent),
                    StackId = customResourceEvent.StackId,
                    RequestId = customResourceEvent.RequestId,
                    LogicalResourceId = customResourceEvent.LogicalResourceId,
                };
            case "Create" or "Update":
                break;
            default:
                return Failed(customResourceEvent, null,
                    $"RequestType '{customResourceEvent.RequestType}' is not Create, Update or Delete.");
        }

        if (!RegistrationProperties.TryParse(customResourceEvent.ResourceProperties, out var properties, out var error))
        {
            return Failed(customResourceEvent, null, error);
        }

        using var work = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (deadline is { } at)
        {
            var left = at - DateTimeOffset.UtcNow - options.ResponseReserve;
            work.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        }

        var stage = "starting";
        try
        {
            string? token = null;
            if (properties.AuthTokenParameter is { } parameter)
            {
                stage = $"reading the auth token from SSM parameter {parameter} ({RegistrationProperties.AuthTokenParameterName})";
                token = await tokens.GetTokenAsync(parameter, work.Token);
            }

            var admin = new RestateAdminClient(http, properties.AdminUrl, token, options);
            stage = $"waiting for Restate's admin API at {properties.AdminUrl} to be healthy";
            await admin.WaitUntilHealthyAsync(work.Token);
            stage = $"registering {properties.DeploymentArn} with Restate at {properties.AdminUrl}";
            var deploymentId = await admin.RegisterAsync(properties.DeploymentArn, properties.AssumeRoleArn, work.Token);
            return new CustomResourceResponse
            {
                Status = CustomResourceResponse.Success,
                PhysicalResourceId = properties.DeploymentArn,
                StackId = customResourceEvent.StackId,
                RequestId = customResourceEvent.RequestId,
                LogicalResourceId = customResourceEvent.LogicalResourceId,
                Data = new Dictionary<string, string>(StringComparer.Ordinal) { ["DeploymentId"] = deploymentId },
            };
        }
        catch (RegistrationFailedException e)
        {
            return Failed(customResourceEvent, properties, e.Message);
        }
        catch (OperationCanceledException) when (work.IsCancellationRequested)
        {
            return Failed(customResourceEvent, properties, cancellationToken.IsCancellationRequested
                ? $"Stopped while {stage}."
                : $"Ran out of time while {stage}: the Lambda invocation ends at {deadline:O} and {options.ResponseReserve} is kept " +
                  "to answer CloudFormation. Raise the registrar function's timeout.");
        }
        catch (Exception e)
        {
            // Anything else must still reach CloudFormation as FAILED, or the stack waits an hour.
            return Failed(customResourceEvent, properties, $"Failed while {stage}: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Serializes a response, shortening its <c>Reason</c> until the body fits CloudFormation's 4096 bytes.</summary>
    internal static byte[] Serialize(CustomResourceResponse response)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(response, RegistrarJsonContext.Default.CustomResourceResponse);
        var reason = response.Reason;
        while (body.Length > MaxResponseBytes && reason is { Length: > 16 })
        {
            reason = reason[..(reason.Length * 3 / 4)];
            body = JsonSerializer.SerializeToUtf8Bytes(response with { Reason = reason + " …" }, RegistrarJsonContext.Default.CustomResourceResponse);
        }
        return body;
    }

    /// <summary>
    /// Parses the event. A document that is JSON but not shaped like the event (a field of the wrong type) is read
    /// again field by field, so that its <c>ResponseURL</c> can still be answered.
    /// </summary>
    internal static (CustomResourceEvent Event, string? Error) Parse(ReadOnlySpan<byte> payload)
    {
        try
        {
            var parsed = JsonSerializer.Deserialize(payload, RegistrarJsonContext.Default.CustomResourceEvent);
            return parsed is null ? (new CustomResourceEvent(), "The event is JSON null.") : (parsed, null);
        }
        catch (JsonException e)
        {
            Dictionary<string, JsonElement>? fields = null;
            try
            {
                fields = JsonSerializer.Deserialize(payload, RegistrarJsonContext.Default.DictionaryStringJsonElement);
            }
            catch (JsonException)
            {
                // Not JSON at all: there is nothing to answer.
            }
            string? Field(string name) =>
                fields is not null && fields.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            var salvaged = new CustomResourceEvent
            {
                RequestType = Field("RequestType"),
                ResponseUrl = Field("ResponseURL"),
                StackId = Field("StackId"),
                RequestId = Field("RequestId"),
                LogicalResourceId = Field("LogicalResourceId"),
                PhysicalResourceId = Field("PhysicalResourceId"),
            };
            return (salvaged, $"The event is not a CloudFormation custom resource event: {e.Message}");
        }
    }

    /// <summary>
    /// PUTs the response with an empty content type (the pre-signed URL is signed for none), retrying network errors
    /// and 5xx answers within <see cref="RegistrarOptions.ResponseTimeout"/>. Deliberately not tied to the
    /// invocation's token: an answer must go out even when the work was cut short.
    /// </summary>
    /// <exception cref="HttpRequestException">Every attempt failed.</exception>
    private async Task PutResponseAsync(Uri responseUrl, byte[] body)
    {
        // The URL's query is a signature: log only where it goes.
        var where = responseUrl.GetLeftPart(UriPartial.Path);
        using var timeout = new CancellationTokenSource(options.ResponseTimeout);
        var backoff = TimeSpan.FromMilliseconds(250);
        var last = "no attempt";
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            try
            {
                using var content = new ByteArrayContent(body);
                content.Headers.TryAddWithoutValidation("Content-Type", "");
                using var request = new HttpRequestMessage(HttpMethod.Put, responseUrl) { Content = content };
                using var response = await http.SendAsync(request, timeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
                last = $"HTTP {(int)response.StatusCode}: {RestateAdminClient.Shorten(await response.Content.ReadAsStringAsync(timeout.Token), 300)}";
                if ((int)response.StatusCode is >= 400 and < 500)
                {
                    break;
                }
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                last = $"no answer within {options.ResponseTimeout}";
                break;
            }

            try
            {
                await Task.Delay(backoff, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            backoff *= 2;
        }
        throw new HttpRequestException($"PUT of the CloudFormation response to {where} failed: {last}");
    }

    private static CustomResourceResponse Failed(CustomResourceEvent customResourceEvent, RegistrationProperties? properties, string reason) =>
        new()
        {
            Status = CustomResourceResponse.Failed,
            Reason = reason,
            // Update keeps the id it had (else CloudFormation takes it for a replacement); a failed Create reports the
            // ARN it was asked for, so the Delete of the rollback names it.
            PhysicalResourceId = NonEmpty(customResourceEvent.PhysicalResourceId) ?? properties?.DeploymentArn ?? FallbackId(customResourceEvent),
            StackId = customResourceEvent.StackId,
            RequestId = customResourceEvent.RequestId,
            LogicalResourceId = customResourceEvent.LogicalResourceId,
        };

    /// <summary>A non-empty id when the event gives none of its own.</summary>
    private static string FallbackId(CustomResourceEvent customResourceEvent)
    {
        if (NonEmpty(customResourceEvent.PhysicalResourceId) is { } physical)
        {
            return physical;
        }
        return NonEmpty(customResourceEvent.LogicalResourceId) is { } logical
            ? $"{logical}-{customResourceEvent.RequestId}"
            : "holiday-registrar";
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Holiday.Registrar;

/// <summary>A registration step failed in a way worth reporting to CloudFormation as is.</summary>
internal sealed class RegistrationFailedException : Exception
{
    public RegistrationFailedException()
    {
    }

    public RegistrationFailedException(string message) : base(message)
    {
    }

    public RegistrationFailedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

/// <summary>A deployment Restate registered: its id and the services discovery found.</summary>
internal sealed record RegisteredDeployment(string Id, IReadOnlyList<string> Services);

/// <summary>
/// The calls the registrar makes to Restate's admin API: health and registration with bounded retries, and the single
/// attempts a Delete makes (list, in-flight query, removal).
/// </summary>
/// <param name="http">The client (no timeout of its own: each attempt has one).</param>
/// <param name="adminUrl">The admin API base URL, ending with '/'.</param>
/// <param name="bearerToken">Sent as <c>Authorization: Bearer …</c> when set (Restate Cloud).</param>
/// <param name="options">The bounds.</param>
internal sealed class RestateAdminClient(HttpClient http, Uri adminUrl, string? bearerToken, RegistrarOptions options)
{
    private const string NoAnswer = "no answer in time";

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <summary>Polls <c>GET /health</c> until it answers 200, backing off, for at most <see cref="RegistrarOptions.HealthTimeout"/>.</summary>
    /// <exception cref="RegistrationFailedException">Not healthy in time, or the token was refused.</exception>
    public async Task WaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        var uri = new Uri(adminUrl, "health");
        var started = Stopwatch.GetTimestamp();
        var backoff = options.InitialBackoff;
        string? last = null;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var timeout = AttemptTimeout(options.HealthTimeout - Stopwatch.GetElapsedTime(started), cancellationToken);
                using var request = CreateRequest(HttpMethod.Get, uri);
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
                if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                {
                    throw new RegistrationFailedException(
                        $"Restate's admin API at {uri} answered {Describe(response.StatusCode)}: check the auth token ({RegistrationProperties.AuthTokenParameterName}).");
                }
                last = Describe(response.StatusCode);
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // An attempt cut short by the bound says less than an earlier answer: keep that one.
                last = last is null || last.StartsWith(NoAnswer, StringComparison.Ordinal) ? $"{NoAnswer} (attempt {attempt})" : last;
            }

            var left = options.HealthTimeout - Stopwatch.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                throw new RegistrationFailedException(
                    $"Restate's admin API at {uri} was not healthy within {options.HealthTimeout} ({attempt} attempts; last error: {last}).");
            }
            await Task.Delay(Min(backoff, left), cancellationToken);
            backoff = Min(backoff * 2, options.MaxBackoff);
        }
    }

    /// <summary>
    /// <c>POST /deployments</c> with <c>force: false</c>: 201 (new) and 200 (already registered) succeed, a 4xx answer
    /// fails at once, a 5xx answer or no answer is retried for at most <see cref="RegistrarOptions.RegistrationTimeout"/>.
    /// </summary>
    /// <returns>The deployment id (<c>dp_…</c>) and the names of its services.</returns>
    /// <exception cref="RegistrationFailedException">Restate refused, or kept failing.</exception>
    public async Task<RegisteredDeployment> RegisterAsync(string deploymentArn, string? assumeRoleArn, CancellationToken cancellationToken)
    {
        var uri = new Uri(adminUrl, "deployments");
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new RegisterDeploymentRequest { Arn = deploymentArn, AssumeRoleArn = assumeRoleArn, Force = false },
            RegistrarJsonContext.Default.RegisterDeploymentRequest);
        var started = Stopwatch.GetTimestamp();
        var backoff = options.InitialBackoff;
        string? last = null;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var timeout = AttemptTimeout(options.RegistrationTimeout - Stopwatch.GetElapsedTime(started), cancellationToken);
                using var request = CreateRequest(HttpMethod.Post, uri);
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = Json;
                using var response = await http.SendAsync(request, timeout.Token);
                var text = await response.Content.ReadAsStringAsync(timeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    var registered = TryParse(text, RegistrarJsonContext.Default.RegisterDeploymentResponse);
                    return string.IsNullOrEmpty(registered?.Id)
                        ? throw new RegistrationFailedException(
                            $"Restate answered {Describe(response.StatusCode)} to registering {deploymentArn} but gave no deployment id: {Shorten(text)}")
                        : new RegisteredDeployment(registered.Id,
                            [.. (registered.Services ?? []).Select(service => service.Name).OfType<string>()]);
                }
                var message = ErrorMessage(text);
                if ((int)response.StatusCode is >= 400 and < 500)
                {
                    throw new RegistrationFailedException(
                        $"Restate refused to register {deploymentArn}: {Describe(response.StatusCode)}: {message}");
                }
                last = $"{Describe(response.StatusCode)}: {message}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // An attempt cut short by the bound says less than an earlier answer: keep that one.
                last = last is null || last.StartsWith(NoAnswer, StringComparison.Ordinal) ? $"{NoAnswer} (attempt {attempt})" : last;
            }

            var left = options.RegistrationTimeout - Stopwatch.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                throw new RegistrationFailedException(
                    $"Registering {deploymentArn} with Restate at {uri} kept failing for {options.RegistrationTimeout} ({attempt} attempts; last error: {last}).");
            }
            await Task.Delay(Min(backoff, left), cancellationToken);
            backoff = Min(backoff * 2, options.MaxBackoff);
        }
    }

    /// <summary>One <c>GET /deployments</c>: the ids of the Lambda deployments registered for <paramref name="deploymentArn"/>.</summary>
    /// <exception cref="RegistrationFailedException">Restate answered anything but 200.</exception>
    public async Task<IReadOnlyList<string>> FindDeploymentsAsync(string deploymentArn, CancellationToken cancellationToken)
    {
        var (status, text) = await SendOnceAsync(HttpMethod.Get, "deployments", null, cancellationToken);
        if (status != HttpStatusCode.OK)
        {
            throw new RegistrationFailedException($"GET /deployments answered {Describe(status)}: {ErrorMessage(text)}");
        }
        var list = TryParse(text, RegistrarJsonContext.Default.ListDeploymentsResponse)
            ?? throw new RegistrationFailedException($"GET /deployments answered something that is not a deployment list: {Shorten(text, 300)}");
        return [.. (list.Deployments ?? [])
            .Where(deployment => string.Equals(deployment.Arn, deploymentArn, StringComparison.Ordinal) && !string.IsNullOrEmpty(deployment.Id))
            .Select(deployment => deployment.Id!)];
    }

    /// <summary>
    /// One <c>POST /query</c>: invocations that are pinned to the deployment (they started on it, so their journal
    /// belongs to its code) and have not completed. At most <paramref name="limit"/> of them.
    /// </summary>
    /// <exception cref="RegistrationFailedException">The query failed, or the id is not a deployment id.</exception>
    public async Task<IReadOnlyList<InvocationRow>> FindInFlightInvocationsAsync(string deploymentId, int limit, CancellationToken cancellationToken)
    {
        // The id goes into SQL text: accept only what a deployment id looks like.
        if (deploymentId.Length is < 4 or > 64 || !deploymentId.StartsWith("dp_", StringComparison.Ordinal) || !deploymentId.Skip(3).All(char.IsAsciiLetterOrDigit))
        {
            throw new RegistrationFailedException($"'{Shorten(deploymentId, 80)}' is not a Restate deployment id.");
        }
        var sql = "SELECT id, status FROM sys_invocation " +
            $"WHERE pinned_deployment_id = '{deploymentId}' AND status <> 'completed' LIMIT {limit}";
        var body = JsonSerializer.SerializeToUtf8Bytes(new QueryRequest { Query = sql }, RegistrarJsonContext.Default.QueryRequest);
        var (status, text) = await SendOnceAsync(HttpMethod.Post, "query", body, cancellationToken);
        if (status != HttpStatusCode.OK)
        {
            throw new RegistrationFailedException($"POST /query answered {Describe(status)}: {ErrorMessage(text)}");
        }
        var result = TryParse(text, RegistrarJsonContext.Default.InvocationQueryResponse)
            ?? throw new RegistrationFailedException($"POST /query answered something that is not a row set: {Shorten(text, 300)}");
        return result.Rows ?? [];
    }

    /// <summary>
    /// One <c>DELETE /deployments/{id}?force=true</c> (restate-server 1.7 removes deployments only with
    /// <c>force=true</c>, and answers 501 without it).
    /// </summary>
    /// <returns>True when Restate removed it (202), false when it was already gone (404).</returns>
    /// <exception cref="RegistrationFailedException">Restate answered anything else.</exception>
    public async Task<bool> RemoveDeploymentAsync(string deploymentId, CancellationToken cancellationToken)
    {
        var (status, text) = await SendOnceAsync(HttpMethod.Delete, $"deployments/{Uri.EscapeDataString(deploymentId)}?force=true", null, cancellationToken);
        return status switch
        {
            HttpStatusCode.Accepted or HttpStatusCode.OK or HttpStatusCode.NoContent => true,
            HttpStatusCode.NotFound => false,
            _ => throw new RegistrationFailedException($"DELETE /deployments/{deploymentId}?force=true answered {Describe(status)}: {ErrorMessage(text)}"),
        };
    }

    /// <summary>One request with <see cref="RegistrarOptions.RequestTimeout"/> as its own bound; no retries.</summary>
    private async Task<(HttpStatusCode Status, string Text)> SendOnceAsync(HttpMethod method, string relative, byte[]? jsonBody, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        using var request = CreateRequest(method, new Uri(adminUrl, relative));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (jsonBody is not null)
        {
            request.Content = new ByteArrayContent(jsonBody);
            request.Content.Headers.ContentType = Json;
        }
        using var response = await http.SendAsync(request, timeout.Token);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(timeout.Token));
    }

    private HttpRequestMessage CreateRequest(HttpMethod method, Uri uri)
    {
        var request = new HttpRequestMessage(method, uri);
        if (bearerToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        }
        return request;
    }

    /// <summary>One attempt's token: the request timeout, but at least a second and at most what is left.</summary>
    private CancellationTokenSource AttemptTimeout(TimeSpan left, CancellationToken cancellationToken)
    {
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Min(options.RequestTimeout, left > TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1)));
        return timeout;
    }

    private static string ErrorMessage(string text) =>
        TryParse(text, RegistrarJsonContext.Default.RestateErrorResponse)?.Message is { Length: > 0 } message
            ? Shorten(message)
            : Shorten(text);

    private static T? TryParse<T>(string text, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(text, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Describe(HttpStatusCode status) => $"HTTP {(int)status} {status}";

    internal static string Shorten(string text, int max = 1000)
    {
        var trimmed = text.Trim();
        return trimmed.Length <= max ? trimmed : string.Concat(trimmed.AsSpan(0, max), "…");
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}

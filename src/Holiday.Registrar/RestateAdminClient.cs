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

/// <summary>The two calls the registrar makes to Restate's admin API, with bounded retries.</summary>
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
    /// <returns>The deployment id, <c>dp_…</c>.</returns>
    /// <exception cref="RegistrationFailedException">Restate refused, or kept failing.</exception>
    public async Task<string> RegisterAsync(string deploymentArn, string? assumeRoleArn, CancellationToken cancellationToken)
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
                    var id = TryParse(text, RegistrarJsonContext.Default.RegisterDeploymentResponse)?.Id;
                    return string.IsNullOrEmpty(id)
                        ? throw new RegistrationFailedException(
                            $"Restate answered {Describe(response.StatusCode)} to registering {deploymentArn} but gave no deployment id: {Shorten(text)}")
                        : id;
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

using System.Collections.Concurrent;

namespace Holiday.Registrar.Tests;

/// <summary>A token source that hands out a fixed token and remembers which parameters were asked for.</summary>
internal sealed class FixedTokenSource(string token) : IAuthTokenSource
{
    public ConcurrentQueue<string> Requested { get; } = new();

    public Task<string> GetTokenAsync(string parameterName, CancellationToken cancellationToken)
    {
        Requested.Enqueue(parameterName);
        return Task.FromResult(token);
    }
}

/// <summary>A token source that fails like SSM does when the role may not read the parameter.</summary>
internal sealed class FailingTokenSource : IAuthTokenSource
{
    public Task<string> GetTokenAsync(string parameterName, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"User is not authorized to perform: ssm:GetParameter on {parameterName}");
}

/// <summary>A token source that must not be used.</summary>
internal sealed class UnusedTokenSource : IAuthTokenSource
{
    public Task<string> GetTokenAsync(string parameterName, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("no token was configured for this test");
}

/// <summary>One request the registrar's HTTP client sent.</summary>
internal sealed record SentRequest(HttpMethod Method, Uri Uri, string? Authorization);

/// <summary>
/// Records every request and passes it on; requests whose path ends with <see cref="ThrowOnPathSuffix"/> throw
/// instead, as an unexpected bug in the HTTP stack would. <see cref="FirstFailure"/> completes when a request first
/// fails to reach its server.
/// </summary>
internal sealed class RecordingHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    public ConcurrentQueue<SentRequest> Sent { get; } = new();

    public string? ThrowOnPathSuffix { get; init; }

    public TaskCompletionSource FirstFailure { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Sent.Enqueue(new SentRequest(request.Method, request.RequestUri!, request.Headers.Authorization?.ToString()));
        if (ThrowOnPathSuffix is { } suffix && request.RequestUri!.AbsolutePath.EndsWith(suffix, StringComparison.Ordinal))
        {
            throw new InvalidDataException("simulated bug in the HTTP stack");
        }
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException)
        {
            FirstFailure.TrySetResult();
            throw;
        }
    }
}

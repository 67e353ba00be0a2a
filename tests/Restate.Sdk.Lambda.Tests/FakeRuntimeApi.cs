using System.Globalization;
using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Restate.Sdk.Lambda.Tests;

/// <summary>What the runtime posted back to the fake Runtime API.</summary>
internal sealed record Posted(PostKind Kind, string? RequestId, string? ErrorType, byte[] Body)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Body);
}

internal enum PostKind
{
    Response,
    Error,
    InitError,
}

/// <summary>
/// An in-process Lambda Runtime API (<c>/2018-06-01/runtime/…</c>) on 127.0.0.1: hands out queued events on
/// <c>GET invocation/next</c> (blocking until one is queued, as Lambda does) and records every post.
/// </summary>
internal sealed class FakeRuntimeApi : IAsyncDisposable
{
    private const string Prefix = "/2018-06-01/runtime";

    private readonly WebApplication _app;
    private readonly Channel<QueuedEvent> _events = Channel.CreateUnbounded<QueuedEvent>();
    private readonly Channel<Posted> _posted = Channel.CreateUnbounded<Posted>();
    private int _nextCalls;
    private int _postCount;

    private FakeRuntimeApi(WebApplication app, string address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The <c>host:port</c>, as Lambda puts it in <c>AWS_LAMBDA_RUNTIME_API</c>.</summary>
    public string Address { get; }

    /// <summary>How many times <c>GET invocation/next</c> was called.</summary>
    public int NextCalls => Volatile.Read(ref _nextCalls);

    /// <summary>How many posts (responses, errors) were recorded so far.</summary>
    public int PostCount => Volatile.Read(ref _postCount);

    /// <summary>Responses larger than this get 413, as Lambda answers payloads over 6 MB.</summary>
    public int? MaxResponseBytes { get; set; }

    public static async Task<FakeRuntimeApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        FakeRuntimeApi? fake = null;
        app.MapGet($"{Prefix}/invocation/next", context => fake!.NextAsync(context));
        app.MapPost($"{Prefix}/invocation/{{id}}/response", context => fake!.RecordAsync(context, PostKind.Response));
        app.MapPost($"{Prefix}/invocation/{{id}}/error", context => fake!.RecordAsync(context, PostKind.Error));
        app.MapPost($"{Prefix}/init/error", context => fake!.RecordAsync(context, PostKind.InitError));
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        fake = new FakeRuntimeApi(app, new Uri(url).Authority);
        return fake;
    }

    /// <summary>Queues an event for the next <c>GET invocation/next</c>.</summary>
    public void Enqueue(string requestId, byte[] payload, DateTimeOffset? deadline = null, string? traceId = null) =>
        _events.Writer.TryWrite(new QueuedEvent(requestId, payload, deadline ?? DateTimeOffset.UtcNow.AddMinutes(1), traceId));

    public void Enqueue(string requestId, string payload, DateTimeOffset? deadline = null, string? traceId = null) =>
        Enqueue(requestId, System.Text.Encoding.UTF8.GetBytes(payload), deadline, traceId);

    /// <summary>The next thing the runtime posted (fails the test after a timeout).</summary>
    public async Task<Posted> NextPostAsync(TimeSpan? timeout = null) =>
        await _posted.Reader.ReadAsync().AsTask().WaitAsync(timeout ?? TimeSpan.FromSeconds(30));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task NextAsync(HttpContext context)
    {
        Interlocked.Increment(ref _nextCalls);
        QueuedEvent queued;
        try
        {
            queued = await _events.Reader.ReadAsync(context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        var headers = context.Response.Headers;
        headers["Lambda-Runtime-Aws-Request-Id"] = queued.RequestId;
        headers["Lambda-Runtime-Deadline-Ms"] = queued.Deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        headers["Lambda-Runtime-Invoked-Function-Arn"] = "arn:aws:lambda:us-east-1:123456789012:function:restate-test:1";
        if (queued.TraceId is not null)
        {
            headers["Lambda-Runtime-Trace-Id"] = queued.TraceId;
        }
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = queued.Payload.Length;
        await context.Response.Body.WriteAsync(queued.Payload, context.RequestAborted);
    }

    private async Task RecordAsync(HttpContext context, PostKind kind)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var requestId = context.Request.RouteValues.TryGetValue("id", out var id) ? id as string : null;
        var errorType = context.Request.Headers.TryGetValue("Lambda-Runtime-Function-Error-Type", out var type) ? type.ToString() : null;
        if (kind == PostKind.Response && MaxResponseBytes is { } max && body.Length > max)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }
        Interlocked.Increment(ref _postCount);
        _posted.Writer.TryWrite(new Posted(kind, requestId, errorType, body.ToArray()));
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    private sealed record QueuedEvent(string RequestId, byte[] Payload, DateTimeOffset Deadline, string? TraceId);
}

using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Holiday.Registrar.Tests;

/// <summary>One PUT the stand-in for S3 received.</summary>
internal sealed record CapturedPut(string Method, string RawQuery, bool HasContentType, string ContentType, bool HasAuthorization, byte[] Body)
{
    public JsonObject Json => Assert.IsType<JsonObject>(JsonNode.Parse(Body));

    public string StatusField => (string)Json["Status"]!;

    public string? ReasonField => (string?)Json["Reason"];

    public string PhysicalIdField => (string)Json["PhysicalResourceId"]!;
}

/// <summary>
/// A stand-in for CloudFormation's pre-signed S3 ResponseURL on 127.0.0.1: every test gets its own URL, and the PUT
/// to it is captured with its headers and body. A URL can be told to answer 500 a few times first.
/// </summary>
internal sealed class FakeResponseUrl : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);

    private FakeResponseUrl(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    public static async Task<FakeResponseUrl> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        FakeResponseUrl? fake = null;
        app.Map("/{**path}", context => fake!.HandleAsync(context));
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        fake = new FakeResponseUrl(app, new Uri(url));
        return fake;
    }

    /// <summary>A fresh URL shaped like a pre-signed one (its escaped signature must arrive unchanged).</summary>
    public ResponseSlot NewUrl(int failuresFirst = 0)
    {
        var key = Guid.NewGuid().ToString("N");
        var slot = new Slot(failuresFirst);
        _slots[key] = slot;
        var uri = new Uri(BaseUri, $"cloudformation-custom-resource-response-useast1/{key}" +
            "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20250101T000000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=ab%2Fcd%3D");
        return new ResponseSlot(uri, slot);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var key = context.Request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        if (!_slots.TryGetValue(key, out var slot))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var headers = context.Request.Headers;
        var put = new CapturedPut(context.Request.Method, context.Request.QueryString.Value ?? "",
            headers.ContainsKey("Content-Type"), headers.ContentType.ToString(), headers.ContainsKey("Authorization"), body.ToArray());
        if (slot.RecordAttempt() <= slot.FailuresFirst)
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await context.Response.WriteAsync("<Error><Code>InternalError</Code></Error>");
            return;
        }
        slot.Completion.TrySetResult(put);
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    internal sealed class Slot(int failuresFirst)
    {
        private int _attempts;

        public int FailuresFirst { get; } = failuresFirst;

        public int Attempts => Volatile.Read(ref _attempts);

        public int RecordAttempt() => Interlocked.Increment(ref _attempts);

        public TaskCompletionSource<CapturedPut> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>One test's ResponseURL and what arrived at it.</summary>
internal sealed class ResponseSlot(Uri url, FakeResponseUrl.Slot slot)
{
    public Uri Url { get; } = url;

    /// <summary>How many PUTs arrived, failed ones included.</summary>
    public int Attempts => slot.Attempts;

    public bool Received => slot.Completion.Task.IsCompleted;

    /// <summary>The successful PUT (fails the test if none arrives in time).</summary>
    public Task<CapturedPut> ReceivedAsync(TimeSpan? timeout = null) => slot.Completion.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
}

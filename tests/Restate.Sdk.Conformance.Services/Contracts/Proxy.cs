using Restate.Sdk.Definitions;

namespace Restate.Sdk.Conformance.Services.Contracts;

/// <summary>What <c>Proxy</c> forwards, and where.</summary>
/// <param name="ServiceName">The target service.</param>
/// <param name="VirtualObjectKey">The target key; null for a plain service.</param>
/// <param name="HandlerName">The target handler.</param>
/// <param name="Message">The raw request body (JSON: an array of numbers).</param>
/// <param name="DelayMillis">For one-way calls: start the callee this much later.</param>
/// <param name="IdempotencyKey">Makes the call or send idempotent.</param>
/// <param name="Scope">The scope of the call or send (protocol V7 only).</param>
/// <param name="LimitKey">The limit key under <paramref name="Scope"/> (protocol V7 only).</param>
internal sealed record ProxyRequest(
    string ServiceName,
    string? VirtualObjectKey,
    string HandlerName,
    byte[] Message,
    int? DelayMillis = null,
    string? IdempotencyKey = null,
    string? Scope = null,
    string? LimitKey = null);

/// <summary>One request of <c>manyCalls</c>.</summary>
/// <param name="ProxyRequest">What to forward.</param>
/// <param name="OneWayCall">Send instead of call.</param>
/// <param name="AwaitAtTheEnd">For calls: await the response after all requests were issued, instead of never.</param>
internal sealed record ManyCallRequest(ProxyRequest ProxyRequest, bool OneWayCall, bool AwaitAtTheEnd);

/// <summary><c>Proxy</c>: forwards raw bytes to any handler, as a call or a one-way send.</summary>
internal static class Proxy
{
    public const string Name = "Proxy";

    private static readonly Serde<ProxyRequest> RequestSerde = Serde.Json(ConformanceJson.Default.ProxyRequest);

    public static ServiceDefinition Definition() => ServiceDefinition.ForService(Name)
        .Handler("call", async (Context ctx, ProxyRequest request) => await Call(ctx, request),
            RequestSerde, Serde.Json(ConformanceJson.Default.ByteArray))
        .Handler("oneWayCall", async (Context ctx, ProxyRequest request) => await Send(ctx, request), RequestSerde, Serde.String)
        .Handler("manyCalls", async (Context ctx, ManyCallRequest[] requests) =>
        {
            var toAwait = new List<DurableFuture<byte[]>>();
            foreach (var request in requests)
            {
                if (request.OneWayCall)
                {
                    await Send(ctx, request.ProxyRequest);
                    continue;
                }
                var call = Call(ctx, request.ProxyRequest);
                if (request.AwaitAtTheEnd)
                {
                    toAwait.Add(call);
                }
            }
            foreach (var call in toAwait)
            {
                await call;
            }
        }, Serde.Json(ConformanceJson.Default.ManyCallRequestArray))
        .Build();

    private static Target TargetOf(ProxyRequest request) => new(request.ServiceName, request.HandlerName, request.VirtualObjectKey);

    private static CallFuture<byte[]> Call(Context ctx, ProxyRequest request) =>
        ctx.CallAsync(TargetOf(request), request.Message, Serde.Bytes, Serde.Bytes,
            new CallOptions { IdempotencyKey = request.IdempotencyKey, Scope = request.Scope, LimitKey = request.LimitKey });

    private static DurableFuture<string> Send(Context ctx, ProxyRequest request) =>
        ctx.Send(TargetOf(request), request.Message, Serde.Bytes, new SendOptions
        {
            IdempotencyKey = request.IdempotencyKey,
            Scope = request.Scope,
            LimitKey = request.LimitKey,
            Delay = request.DelayMillis is > 0 and var millis ? TimeSpan.FromMilliseconds(millis) : null,
        }).InvocationId;
}

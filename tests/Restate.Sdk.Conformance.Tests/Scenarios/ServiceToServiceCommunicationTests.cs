using System.Diagnostics;
using Restate.Sdk.Conformance.Tests.Infrastructure;
using static Restate.Sdk.Conformance.Tests.Infrastructure.Contracts;

namespace Restate.Sdk.Conformance.Tests.Scenarios;

/// <summary>
/// Calls from one handler to another: request/response, one-way, one-way with a delay, and calls carrying an
/// idempotency key, whose result can then be fetched from the ingress by that key.
/// </summary>
public abstract class ServiceToServiceCommunicationTests(ConformanceFixture fixture)
{
    [Fact]
    public async Task ProxyCall_UppercaseEcho_ReturnsTheCalleesResponse()
    {
        var response = await fixture.CallAsync("/Proxy/call",
            ProxyRequest("TestUtilsService", null, "uppercaseEcho", JsonString("ping")).ToJsonString(), Guid.NewGuid().ToString());

        Assert.Equal(JsonString("PING"), ProxiedText(response.EnsureOk()));
    }

    [Fact]
    public async Task ProxyOneWayCall_CounterAdd_CounterIsEventuallyIncremented()
    {
        var key = Guid.NewGuid().ToString("N");

        var sent = await fixture.CallAsync("/Proxy/oneWayCall", ProxyRequest("Counter", key, "add", "1").ToJsonString());

        Assert.StartsWith("inv_", sent.EnsureOk().Json.GetValue<string>(), StringComparison.Ordinal);
        await AssertCounterEventuallyAsync(key, 1);
    }

    [Fact]
    public async Task ProxyOneWayCall_WithIdempotencyKey_ResultCanBeAttachedByThatKey()
    {
        var key = Guid.NewGuid().ToString("N");
        var idempotencyKey = Guid.NewGuid().ToString();

        (await fixture.CallAsync("/Proxy/oneWayCall",
            ProxyRequest("Counter", key, "add", "1", idempotencyKey: idempotencyKey).ToJsonString())).EnsureOk();

        await AssertCounterEventuallyAsync(key, 1);
        await AssertIdempotentResultAsync(key, idempotencyKey);
    }

    [Fact]
    public async Task ProxyCall_WithIdempotencyKeyTwice_CalleeRunsOnceAndResultCanBeAttachedByThatKey()
    {
        var key = Guid.NewGuid().ToString("N");
        var idempotencyKey = Guid.NewGuid().ToString();
        var call = ProxyRequest("Counter", key, "add", "1", idempotencyKey: idempotencyKey).ToJsonString();

        var first = await fixture.CallAsync("/Proxy/call", call);
        var second = await fixture.CallAsync("/Proxy/call", call);

        Assert.Equal("""{"oldValue":0,"newValue":1}""", Compact(ProxiedText(first.EnsureOk())));
        Assert.Equal("""{"oldValue":0,"newValue":1}""", Compact(ProxiedText(second.EnsureOk())));
        await AssertCounterEventuallyAsync(key, 1);
        await AssertIdempotentResultAsync(key, idempotencyKey);
    }

    [Fact]
    public async Task ProxyOneWayCall_TenWithFiveSecondDelay_AllRunAfterTheDelay()
    {
        var key = Guid.NewGuid().ToString("N");
        var elapsed = Stopwatch.StartNew();

        for (var i = 0; i < 10; i++)
        {
            (await fixture.CallAsync("/Proxy/oneWayCall",
                ProxyRequest("Counter", key, "add", "1", delayMillis: 5000).ToJsonString(), Guid.NewGuid().ToString())).EnsureOk();
        }
        await AssertCounterEventuallyAsync(key, 10);

        // A lower bound only: no add may run before its delay. (Ten delays run side by side, not one after another.)
        Assert.True(elapsed.Elapsed >= TimeSpan.FromSeconds(5), $"all ten adds ran after {elapsed.Elapsed}");
    }

    private Task AssertCounterEventuallyAsync(string key, long expected) =>
        Eventually.SucceedsAsync($"the counter is {expected}", async ct =>
            Assert.Equal($"{expected}", (await fixture.CallAsync($"/Counter/{key}/get", ct: ct)).EnsureOk().Body));

    private async Task AssertIdempotentResultAsync(string key, string idempotencyKey)
    {
        var result = await fixture.GetAsync($"/restate/invocation/Counter/{key}/add/{idempotencyKey}/attach");
        Assert.Equal("""{"oldValue":0,"newValue":1}""", Compact(result.EnsureOk().Body));
    }

    private static string Compact(string json) => System.Text.Json.Nodes.JsonNode.Parse(json)!.ToJsonString();
}

[Collection(nameof(DefaultRuntime))]
public sealed class ServiceToServiceCommunicationOnDefault(DefaultRuntime fixture) : ServiceToServiceCommunicationTests(fixture);

[Collection(nameof(AlwaysSuspendingRuntime))]
public sealed class ServiceToServiceCommunicationOnAlwaysSuspending(AlwaysSuspendingRuntime fixture)
    : ServiceToServiceCommunicationTests(fixture);

[Collection(nameof(SingleThreadSinglePartitionRuntime))]
public sealed class ServiceToServiceCommunicationOnSingleThreadSinglePartition(SingleThreadSinglePartitionRuntime fixture)
    : ServiceToServiceCommunicationTests(fixture);

[Collection(nameof(RequestSigningRuntime))]
public sealed class ServiceToServiceCommunicationOnRequestSigning(RequestSigningRuntime fixture) : ServiceToServiceCommunicationTests(fixture);

[Collection(nameof(Http11Runtime))]
public sealed class ServiceToServiceCommunicationOnHttp11(Http11Runtime fixture) : ServiceToServiceCommunicationTests(fixture);

[Collection(nameof(ThreeNodesRuntime))]
public sealed class ServiceToServiceCommunicationOnThreeNodes(ThreeNodesRuntime fixture) : ServiceToServiceCommunicationTests(fixture);

[Collection(nameof(ThreeNodesAlwaysSuspendingRuntime))]
public sealed class ServiceToServiceCommunicationOnThreeNodesAlwaysSuspending(ThreeNodesAlwaysSuspendingRuntime fixture)
    : ServiceToServiceCommunicationTests(fixture);

[Collection(nameof(V7Runtime))]
public sealed class ServiceToServiceCommunicationOnV7(V7Runtime fixture) : ServiceToServiceCommunicationTests(fixture);

[Collection(nameof(V7AlwaysSuspendingRuntime))]
public sealed class ServiceToServiceCommunicationOnV7AlwaysSuspending(V7AlwaysSuspendingRuntime fixture) : ServiceToServiceCommunicationTests(fixture);

[Collection(nameof(V7Http11Runtime))]
public sealed class ServiceToServiceCommunicationOnV7Http11(V7Http11Runtime fixture) : ServiceToServiceCommunicationTests(fixture);

[Collection(nameof(V7ThreeNodesRuntime))]
public sealed class ServiceToServiceCommunicationOnV7ThreeNodes(V7ThreeNodesRuntime fixture) : ServiceToServiceCommunicationTests(fixture);

using System.Text.Json.Nodes;
using Restate.Sdk.Conformance.Tests.Infrastructure;
using static Restate.Sdk.Conformance.Tests.Infrastructure.Contracts;

namespace Restate.Sdk.Conformance.Tests.Scenarios;

/// <summary>
/// Calls and one-way calls from one handler to the same virtual object arrive in the order the handler made them,
/// whichever of them are one-way (the last one is a call, so it is done before the handler returns).
/// </summary>
public abstract class CallOrderingTests(ConformanceFixture fixture)
{
    [Theory]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    [InlineData(true, true, false)]
    public async Task ManyCalls_MixOfCallsAndOneWayCalls_ListObjectSeesThemInOrder(bool first, bool second, bool third)
    {
        var list = Guid.NewGuid().ToString("N");
        var calls = new JsonArray(new[] { first, second, third }.Select((oneWay, index) =>
        {
            var append = ProxyRequest("ListObject", list, "append", JsonString($"{index}"));
            return (JsonNode)ManyCall(append, oneWayCall: oneWay, awaitAtTheEnd: !oneWay);
        }).ToArray());

        (await fixture.CallAsync("/Proxy/manyCalls", calls.ToJsonString())).EnsureOk();
        var entries = (await fixture.CallAsync($"/ListObject/{list}/clear")).EnsureOk();

        Assert.Equal(["0", "1", "2"], entries.Json.AsArray().Select(entry => entry!.GetValue<string>()));
    }
}

[Collection(nameof(DefaultRuntime))]
public sealed class CallOrderingOnDefault(DefaultRuntime fixture) : CallOrderingTests(fixture);

[Collection(nameof(SingleThreadSinglePartitionRuntime))]
public sealed class CallOrderingOnSingleThreadSinglePartition(SingleThreadSinglePartitionRuntime fixture) : CallOrderingTests(fixture);

[Collection(nameof(Http11Runtime))]
public sealed class CallOrderingOnHttp11(Http11Runtime fixture) : CallOrderingTests(fixture);

[Collection(nameof(ThreeNodesRuntime))]
public sealed class CallOrderingOnThreeNodes(ThreeNodesRuntime fixture) : CallOrderingTests(fixture);

[Collection(nameof(V7Runtime))]
public sealed class CallOrderingOnV7(V7Runtime fixture) : CallOrderingTests(fixture);

[Collection(nameof(V7Http11Runtime))]
public sealed class CallOrderingOnV7Http11(V7Http11Runtime fixture) : CallOrderingTests(fixture);

[Collection(nameof(V7ThreeNodesRuntime))]
public sealed class CallOrderingOnV7ThreeNodes(V7ThreeNodesRuntime fixture) : CallOrderingTests(fixture);

using System.Text.Json.Nodes;
using Restate.Sdk.Conformance.Tests.Infrastructure;
using static Restate.Sdk.Conformance.Tests.Infrastructure.Contracts;

namespace Restate.Sdk.Conformance.Tests.Scenarios;

/// <summary>
/// State of virtual objects: a value read, changed and written back across invocations; writes through one-way calls;
/// one state key per map entry, and clear-all that only touches its own object.
/// </summary>
public abstract class StateTests(ConformanceFixture fixture)
{
    [Fact]
    public async Task CounterAdd_TwoCalls_SecondSeesTheFirstWrite()
    {
        var counter = $"/Counter/{Guid.NewGuid():N}";

        var first = (await fixture.CallAsync($"{counter}/add", "1")).EnsureOk();
        var second = (await fixture.CallAsync($"{counter}/add", "2")).EnsureOk();

        Assert.Equal((0, 1), (first.Json["oldValue"]!.GetValue<long>(), first.Json["newValue"]!.GetValue<long>()));
        Assert.Equal((1, 3), (second.Json["oldValue"]!.GetValue<long>(), second.Json["newValue"]!.GetValue<long>()));
    }

    [Fact]
    public async Task ProxyOneWayAdd_ThreeTimes_CounterReachesThree()
    {
        var key = Guid.NewGuid().ToString("N");

        for (var i = 0; i < 3; i++)
        {
            (await fixture.CallAsync("/Proxy/oneWayCall", ProxyRequest("Counter", key, "add", "1").ToJsonString())).EnsureOk();
        }

        await Eventually.SucceedsAsync("the counter is 3", async ct =>
            Assert.Equal("3", (await fixture.CallAsync($"/Counter/{key}/get", ct: ct)).EnsureOk().Body));
    }

    [Fact]
    public async Task MapObjectClearAll_TwoEntries_ReturnsBothKeysAndLeavesOtherObjectsAlone()
    {
        var map = $"/MapObject/{Guid.NewGuid():N}";
        var otherMap = $"/MapObject/{Guid.NewGuid():N}";
        (await fixture.CallAsync($"{map}/set", Entry("my-key-0", "my-value-0"))).EnsureOk();
        (await fixture.CallAsync($"{map}/set", Entry("my-key-1", "my-value-1"))).EnsureOk();
        (await fixture.CallAsync($"{otherMap}/set", Entry("my-key-2", "my-value-2"))).EnsureOk();

        var cleared = (await fixture.CallAsync($"{map}/clearAll")).EnsureOk();
        var first = (await fixture.CallAsync($"{map}/get", JsonString("my-key-0"))).EnsureOk();
        var second = (await fixture.CallAsync($"{map}/get", JsonString("my-key-1"))).EnsureOk();
        var untouched = (await fixture.CallAsync($"{otherMap}/get", JsonString("my-key-2"))).EnsureOk();

        var clearedKeys = cleared.Json.AsArray().Select(entry => entry!["key"]!.GetValue<string>()).Order(StringComparer.Ordinal);
        Assert.Equal(["my-key-0", "my-key-1"], clearedKeys);
        Assert.Equal("", first.Json.GetValue<string>());
        Assert.Equal("", second.Json.GetValue<string>());
        Assert.Equal("my-value-2", untouched.Json.GetValue<string>());
    }

    private static string Entry(string key, string value) => new JsonObject { ["key"] = key, ["value"] = value }.ToJsonString();
}

[Collection(nameof(DefaultRuntime))]
public sealed class StateOnDefault(DefaultRuntime fixture) : StateTests(fixture);

[Collection(nameof(AlwaysSuspendingRuntime))]
public sealed class StateOnAlwaysSuspending(AlwaysSuspendingRuntime fixture) : StateTests(fixture);

[Collection(nameof(LazyStateRuntime))]
public sealed class StateOnLazyState(LazyStateRuntime fixture) : StateTests(fixture);

[Collection(nameof(LazyStateAlwaysSuspendingRuntime))]
public sealed class StateOnLazyStateAlwaysSuspending(LazyStateAlwaysSuspendingRuntime fixture) : StateTests(fixture);

[Collection(nameof(SingleThreadSinglePartitionRuntime))]
public sealed class StateOnSingleThreadSinglePartition(SingleThreadSinglePartitionRuntime fixture) : StateTests(fixture);

[Collection(nameof(RequestSigningRuntime))]
public sealed class StateOnRequestSigning(RequestSigningRuntime fixture) : StateTests(fixture);

[Collection(nameof(Http11Runtime))]
public sealed class StateOnHttp11(Http11Runtime fixture) : StateTests(fixture);

[Collection(nameof(ThreeNodesRuntime))]
public sealed class StateOnThreeNodes(ThreeNodesRuntime fixture) : StateTests(fixture);

[Collection(nameof(ThreeNodesAlwaysSuspendingRuntime))]
public sealed class StateOnThreeNodesAlwaysSuspending(ThreeNodesAlwaysSuspendingRuntime fixture) : StateTests(fixture);

[Collection(nameof(V7Runtime))]
public sealed class StateOnV7(V7Runtime fixture) : StateTests(fixture);

[Collection(nameof(V7AlwaysSuspendingRuntime))]
public sealed class StateOnV7AlwaysSuspending(V7AlwaysSuspendingRuntime fixture) : StateTests(fixture);

[Collection(nameof(V7Http11Runtime))]
public sealed class StateOnV7Http11(V7Http11Runtime fixture) : StateTests(fixture);

[Collection(nameof(V7ThreeNodesRuntime))]
public sealed class StateOnV7ThreeNodes(V7ThreeNodesRuntime fixture) : StateTests(fixture);

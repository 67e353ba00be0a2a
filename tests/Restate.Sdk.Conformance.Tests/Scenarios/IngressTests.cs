using Restate.Sdk.Conformance.Tests.Infrastructure;

namespace Restate.Sdk.Conformance.Tests.Scenarios;

/// <summary>What the ingress hands to a handler: the caller's headers, and raw (non-JSON) bodies byte for byte.</summary>
public abstract class IngressTests(ConformanceFixture fixture)
{
    [Fact]
    public async Task EchoHeaders_CustomHeader_ReachesTheHandler()
    {
        var headers = new Dictionary<string, string> { ["x-my-custom-header"] = "x-my-custom-value" };

        var response = await fixture.CallAsync("/TestUtilsService/echoHeaders", idempotencyKey: Guid.NewGuid().ToString(), headers: headers);

        Assert.Equal("x-my-custom-value", response.EnsureOk().Json["x-my-custom-header"]?.GetValue<string>());
    }

    [Fact]
    public async Task RawEcho_RandomBytes_ReturnsThemUnchanged()
    {
        var bytes = new byte[100];
        Random.Shared.NextBytes(bytes);

        var response = await fixture.CallRawAsync("/TestUtilsService/rawEcho", bytes, "application/octet-stream");

        Assert.Equal(bytes, response.EnsureOk().Bytes);
    }
}

[Collection(nameof(DefaultRuntime))]
public sealed class IngressOnDefault(DefaultRuntime fixture) : IngressTests(fixture);

[Collection(nameof(SingleThreadSinglePartitionRuntime))]
public sealed class IngressOnSingleThreadSinglePartition(SingleThreadSinglePartitionRuntime fixture) : IngressTests(fixture);

[Collection(nameof(Http11Runtime))]
public sealed class IngressOnHttp11(Http11Runtime fixture) : IngressTests(fixture);

[Collection(nameof(ThreeNodesRuntime))]
public sealed class IngressOnThreeNodes(ThreeNodesRuntime fixture) : IngressTests(fixture);

[Collection(nameof(V7Runtime))]
public sealed class IngressOnV7(V7Runtime fixture) : IngressTests(fixture);

[Collection(nameof(V7Http11Runtime))]
public sealed class IngressOnV7Http11(V7Http11Runtime fixture) : IngressTests(fixture);

[Collection(nameof(V7ThreeNodesRuntime))]
public sealed class IngressOnV7ThreeNodes(V7ThreeNodesRuntime fixture) : IngressTests(fixture);

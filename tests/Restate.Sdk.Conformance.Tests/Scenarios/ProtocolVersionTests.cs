using Restate.Sdk.Conformance.Tests.Infrastructure;
using static Restate.Sdk.Conformance.Tests.Infrastructure.Contracts;

namespace Restate.Sdk.Conformance.Tests.Scenarios;

/// <summary>
/// Each configuration runs the service protocol version it claims: the runtime pins the version it negotiated on an
/// invocation's first stored entry, and the admin API shows it (V6 by default, V7 where the server's V7 switch is on).
/// Without this check a V7 configuration that silently fell back to V6 would still pass every other scenario.
/// </summary>
public abstract class ProtocolVersionTests(ConformanceFixture fixture)
{
    [Fact]
    public async Task SuspendedInvocation_PinnedProtocolVersion_IsTheConfigurationsVersion()
    {
        var key = Guid.NewGuid().ToString("N");
        var held = await fixture.SendAsync($"/VirtualObjectCommandInterpreter/{key}/interpretCommands",
            Interpret(AwaitOne(CreateAwakeable("awk"))));
        await Eventually.SucceedsAsync("the interpreter has created its awakeable", async ct =>
            Assert.Equal("true", (await fixture.CallAsync($"/VirtualObjectCommandInterpreter/{key}/hasAwakeable",
                JsonString("awk"), ct: ct)).EnsureOk().Body));

        await Eventually.SucceedsAsync("the invocation is pinned to a protocol version", async ct =>
        {
            var rows = await fixture.Runtime.QueryAsync(
                $"select pinned_service_protocol_version from sys_invocation where id = '{held.InvocationId}'", ct);
            Assert.Single(rows);
            Assert.Equal(fixture.Configuration.ExpectedProtocolVersion, rows[0]!["pinned_service_protocol_version"]?.GetValue<int>());
        });

        (await fixture.CallAsync($"/VirtualObjectCommandInterpreter/{key}/resolveAwakeable",
            """{"awakeableKey":"awk","value":"done"}""")).EnsureOk();
        Assert.Equal("done", (await fixture.AttachAsync(held.InvocationId)).EnsureOk().Json.GetValue<string>());
    }
}

[Collection(nameof(DefaultRuntime))]
public sealed class ProtocolVersionOnDefault(DefaultRuntime fixture) : ProtocolVersionTests(fixture);

[Collection(nameof(AlwaysSuspendingRuntime))]
public sealed class ProtocolVersionOnAlwaysSuspending(AlwaysSuspendingRuntime fixture) : ProtocolVersionTests(fixture);

[Collection(nameof(SingleThreadSinglePartitionRuntime))]
public sealed class ProtocolVersionOnSingleThreadSinglePartition(SingleThreadSinglePartitionRuntime fixture) : ProtocolVersionTests(fixture);

[Collection(nameof(LazyStateRuntime))]
public sealed class ProtocolVersionOnLazyState(LazyStateRuntime fixture) : ProtocolVersionTests(fixture);

[Collection(nameof(LazyStateAlwaysSuspendingRuntime))]
public sealed class ProtocolVersionOnLazyStateAlwaysSuspending(LazyStateAlwaysSuspendingRuntime fixture) : ProtocolVersionTests(fixture);

[Collection(nameof(PersistedTimersRuntime))]
public sealed class ProtocolVersionOnPersistedTimers(PersistedTimersRuntime fixture) : ProtocolVersionTests(fixture);

[Collection(nameof(RequestSigningRuntime))]
public sealed class ProtocolVersionOnRequestSigning(RequestSigningRuntime fixture) : ProtocolVersionTests(fixture);

[Collection(nameof(Http11Runtime))]
public sealed class ProtocolVersionOnHttp11(Http11Runtime fixture) : ProtocolVersionTests(fixture);

[Collection(nameof(ThreeNodesRuntime))]
public sealed class ProtocolVersionOnThreeNodes(ThreeNodesRuntime fixture) : ProtocolVersionTests(fixture);

[Collection(nameof(ThreeNodesAlwaysSuspendingRuntime))]
public sealed class ProtocolVersionOnThreeNodesAlwaysSuspending(ThreeNodesAlwaysSuspendingRuntime fixture) : ProtocolVersionTests(fixture);

[Collection(nameof(V7Runtime))]
public sealed class ProtocolVersionOnV7(V7Runtime fixture) : ProtocolVersionTests(fixture);

[Collection(nameof(V7AlwaysSuspendingRuntime))]
public sealed class ProtocolVersionOnV7AlwaysSuspending(V7AlwaysSuspendingRuntime fixture) : ProtocolVersionTests(fixture);

[Collection(nameof(V7Http11Runtime))]
public sealed class ProtocolVersionOnV7Http11(V7Http11Runtime fixture) : ProtocolVersionTests(fixture);

[Collection(nameof(V7ThreeNodesRuntime))]
public sealed class ProtocolVersionOnV7ThreeNodes(V7ThreeNodesRuntime fixture) : ProtocolVersionTests(fixture);

using System.Diagnostics;
using Restate.Sdk.Conformance.Tests.Infrastructure;
using static Restate.Sdk.Conformance.Tests.Infrastructure.Contracts;

namespace Restate.Sdk.Conformance.Tests.Scenarios;

/// <summary>
/// A durable sleep survives its service endpoint going away mid-sleep (killed, or stopped gracefully) and coming
/// back: the invocation completes, and not before the full duration has passed.
/// </summary>
public abstract class SleepWithFailuresTests(ConformanceFixture fixture)
{
    private static readonly TimeSpan SleepDuration = TimeSpan.FromSeconds(4);

    [Fact]
    public Task Sleep_ServicesKilledAndRestartedMidSleep_CompletesAfterTheFullDuration() =>
        SleepThroughAsync(services => services.KillAsync());

    [Fact]
    public Task Sleep_ServicesStoppedAndRestartedMidSleep_CompletesAfterTheFullDuration() =>
        SleepThroughAsync(services => services.StopAsync());

    private async Task SleepThroughAsync(Func<ConformanceServices, Task> takeDown)
    {
        var services = fixture.Services;
        var key = Guid.NewGuid().ToString("N");
        var elapsed = Stopwatch.StartNew();
        var sleeping = fixture.CallAsync($"/VirtualObjectCommandInterpreter/{key}/interpretCommands",
            Interpret(AwaitOne(Sleep((long)SleepDuration.TotalMilliseconds))), Guid.NewGuid().ToString());

        // Take the endpoint down once the invocation is under way (its handler runs, or it is suspended on the timer).
        await Eventually.SucceedsAsync("the sleeping invocation is under way", async ct =>
        {
            var rows = await fixture.Runtime.QueryAsync(
                $"select status from sys_invocation where target_service_name = 'VirtualObjectCommandInterpreter' and target_service_key = '{key}'", ct);
            Assert.Contains(rows, row => row!["status"]?.GetValue<string>() is "running" or "suspended");
        });
        await takeDown(services);
        await services.RestartAsync();
        var result = await sleeping;

        Assert.Equal("sleep", result.EnsureOk().Json.GetValue<string>());
        Assert.True(elapsed.Elapsed >= SleepDuration, $"completed after {elapsed.Elapsed}");
    }
}

[Collection(nameof(DefaultRuntime))]
public sealed class SleepWithFailuresOnDefault(DefaultRuntime fixture) : SleepWithFailuresTests(fixture);

[Collection(nameof(AlwaysSuspendingRuntime))]
public sealed class SleepWithFailuresOnAlwaysSuspending(AlwaysSuspendingRuntime fixture) : SleepWithFailuresTests(fixture);

[Collection(nameof(SingleThreadSinglePartitionRuntime))]
public sealed class SleepWithFailuresOnSingleThreadSinglePartition(SingleThreadSinglePartitionRuntime fixture)
    : SleepWithFailuresTests(fixture);

[Collection(nameof(Http11Runtime))]
public sealed class SleepWithFailuresOnHttp11(Http11Runtime fixture) : SleepWithFailuresTests(fixture);

[Collection(nameof(ThreeNodesRuntime))]
public sealed class SleepWithFailuresOnThreeNodes(ThreeNodesRuntime fixture) : SleepWithFailuresTests(fixture);

[Collection(nameof(ThreeNodesAlwaysSuspendingRuntime))]
public sealed class SleepWithFailuresOnThreeNodesAlwaysSuspending(ThreeNodesAlwaysSuspendingRuntime fixture)
    : SleepWithFailuresTests(fixture);

[Collection(nameof(V7Runtime))]
public sealed class SleepWithFailuresOnV7(V7Runtime fixture) : SleepWithFailuresTests(fixture);

[Collection(nameof(V7AlwaysSuspendingRuntime))]
public sealed class SleepWithFailuresOnV7AlwaysSuspending(V7AlwaysSuspendingRuntime fixture) : SleepWithFailuresTests(fixture);

[Collection(nameof(V7Http11Runtime))]
public sealed class SleepWithFailuresOnV7Http11(V7Http11Runtime fixture) : SleepWithFailuresTests(fixture);

[Collection(nameof(V7ThreeNodesRuntime))]
public sealed class SleepWithFailuresOnV7ThreeNodes(V7ThreeNodesRuntime fixture) : SleepWithFailuresTests(fixture);

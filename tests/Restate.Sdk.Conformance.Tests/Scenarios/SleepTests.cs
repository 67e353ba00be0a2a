using System.Diagnostics;
using Restate.Sdk.Conformance.Tests.Infrastructure;
using static Restate.Sdk.Conformance.Tests.Infrastructure.Contracts;

namespace Restate.Sdk.Conformance.Tests.Scenarios;

/// <summary>Durable timers: a sleep lasts at least its duration, and many concurrent sleeps all fire.</summary>
public abstract class SleepTests(ConformanceFixture fixture)
{
    [Fact]
    public async Task AwaitOneSleep_TenMilliseconds_ReturnsNoEarlierThanTheDuration()
    {
        var elapsed = Stopwatch.StartNew();

        var result = await fixture.CallAsync($"/VirtualObjectCommandInterpreter/{Guid.NewGuid():N}/interpretCommands",
            Interpret(AwaitOne(Sleep(10))));

        Assert.Equal("sleep", result.EnsureOk().Json.GetValue<string>());
        Assert.True(elapsed.Elapsed >= TimeSpan.FromMilliseconds(10), $"returned after {elapsed.Elapsed}");
    }

    [Fact]
    public async Task AwaitAllCompleted_FiftyInvocationsOfTwentySleeps_AllComplete()
    {
        var invocations = Enumerable.Range(0, 50).Select(async _ =>
        {
            var sleeps = Enumerable.Range(0, 20).Select(_ => Sleep(Random.Shared.Next(10, 51))).ToArray();
            return await fixture.CallAsync($"/VirtualObjectCommandInterpreter/{Guid.NewGuid():N}/interpretCommands",
                Interpret(AwaitAllCompleted(sleeps)), Guid.NewGuid().ToString());
        });

        var results = await Task.WhenAll(invocations);

        var expected = string.Join('|', Enumerable.Repeat("ok:sleep", 20));
        Assert.All(results, result => Assert.Equal(expected, result.EnsureOk().Json.GetValue<string>()));
    }
}

[Collection(nameof(DefaultRuntime))]
public sealed class SleepOnDefault(DefaultRuntime fixture) : SleepTests(fixture);

[Collection(nameof(AlwaysSuspendingRuntime))]
public sealed class SleepOnAlwaysSuspending(AlwaysSuspendingRuntime fixture) : SleepTests(fixture);

[Collection(nameof(SingleThreadSinglePartitionRuntime))]
public sealed class SleepOnSingleThreadSinglePartition(SingleThreadSinglePartitionRuntime fixture) : SleepTests(fixture);

[Collection(nameof(PersistedTimersRuntime))]
public sealed class SleepOnPersistedTimers(PersistedTimersRuntime fixture) : SleepTests(fixture);

[Collection(nameof(Http11Runtime))]
public sealed class SleepOnHttp11(Http11Runtime fixture) : SleepTests(fixture);

[Collection(nameof(ThreeNodesRuntime))]
public sealed class SleepOnThreeNodes(ThreeNodesRuntime fixture) : SleepTests(fixture);

[Collection(nameof(ThreeNodesAlwaysSuspendingRuntime))]
public sealed class SleepOnThreeNodesAlwaysSuspending(ThreeNodesAlwaysSuspendingRuntime fixture) : SleepTests(fixture);

[Collection(nameof(V7Runtime))]
public sealed class SleepOnV7(V7Runtime fixture) : SleepTests(fixture);

[Collection(nameof(V7AlwaysSuspendingRuntime))]
public sealed class SleepOnV7AlwaysSuspending(V7AlwaysSuspendingRuntime fixture) : SleepTests(fixture);

[Collection(nameof(V7Http11Runtime))]
public sealed class SleepOnV7Http11(V7Http11Runtime fixture) : SleepTests(fixture);

[Collection(nameof(V7ThreeNodesRuntime))]
public sealed class SleepOnV7ThreeNodes(V7ThreeNodesRuntime fixture) : SleepTests(fixture);

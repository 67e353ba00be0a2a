using Restate.Sdk.Conformance.Tests.Infrastructure;
using Restate.Sdk.Testing;
using static Restate.Sdk.Conformance.Tests.Infrastructure.Contracts;

namespace Restate.Sdk.Conformance.Tests.Scenarios;

/// <summary>
/// Terminal errors from handlers, from callees and from run blocks reach the ingress caller with their message and
/// metadata; state written before a terminal error is kept; a non-terminal error is retried until it succeeds.
/// </summary>
public abstract class UserErrorsTests(ConformanceFixture fixture)
{
    private static readonly Dictionary<string, string> Metadata = new() { ["key1"] = "value1", ["key2"] = "value2" };

    [Fact]
    public async Task TerminallyFailingCall_ReturnsTheErrorMessage()
    {
        var response = await FailingAsync("terminallyFailingCall", FailureToPropagate("my error"));

        Assert.Contains("my error", response.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TerminallyFailingCall_ThreeTimesInARow_FailsTheSameWayEachTime()
    {
        for (var i = 0; i < 3; i++)
        {
            var response = await FailingAsync("terminallyFailingCall", FailureToPropagate("my error"));
            Assert.Contains("my error", response.ErrorMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task CallTerminallyFailingCall_CalleeFails_CallerPropagatesTheMessage()
    {
        var response = await FailingAsync("callTerminallyFailingCall", FailureToPropagate("propagated error"));

        Assert.Contains("propagated error", response.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TerminallyFailingSideEffect_RunThrowsTerminal_InvocationFailsWithItsMessage()
    {
        var response = await FailingAsync("terminallyFailingSideEffect", FailureToPropagate("failed side effect"));

        Assert.Contains("failed side effect", response.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TerminallyFailingCall_WithMetadata_ReturnsMessageAndMetadata()
    {
        var response = await FailingAsync("terminallyFailingCall", FailureToPropagate("my error with metadata", Metadata));

        AssertMessageAndMetadata(response, "my error with metadata");
    }

    [Fact]
    public async Task TerminallyFailingCall_WithMetadataThreeTimesInARow_ReturnsMessageAndMetadataEachTime()
    {
        for (var i = 0; i < 3; i++)
        {
            var response = await FailingAsync("terminallyFailingCall", FailureToPropagate("my error with metadata", Metadata));
            AssertMessageAndMetadata(response, "my error with metadata");
        }
    }

    [Fact]
    public async Task CallTerminallyFailingCall_WithMetadata_CallerPropagatesMessageAndMetadata()
    {
        var response = await FailingAsync("callTerminallyFailingCall", FailureToPropagate("propagated error with metadata", Metadata));

        AssertMessageAndMetadata(response, "propagated error with metadata");
    }

    [Fact]
    public async Task TerminallyFailingSideEffect_WithMetadata_InvocationFailsWithMessageAndMetadata()
    {
        var response = await FailingAsync("terminallyFailingSideEffect", FailureToPropagate("failed side effect with metadata", Metadata));

        AssertMessageAndMetadata(response, "failed side effect with metadata");
    }

    [Fact]
    public async Task AddThenFail_TerminalErrorAfterSet_KeepsTheWrite()
    {
        var key = Guid.NewGuid().ToString("N");

        var failed = await fixture.CallAsync($"/Counter/{key}/addThenFail", "1", Guid.NewGuid().ToString());
        var count = await fixture.CallAsync($"/Counter/{key}/get");

        Assert.True((int)failed.Status >= 400, $"expected a failure, got {failed}");
        Assert.Contains(key, failed.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal("1", count.EnsureOk().Body);
    }

    [Fact]
    public async Task FailingCallWithEventualSuccess_FailsThreeTimes_RetriedUntilTheFourthAttemptSucceeds()
    {
        var response = await fixture.CallAsync($"/Failing/{Guid.NewGuid():N}/failingCallWithEventualSuccess",
            idempotencyKey: Guid.NewGuid().ToString());

        Assert.Equal("4", response.EnsureOk().Body);
    }

    private async Task<IngressResponse> FailingAsync(string handler, string failure)
    {
        var response = await fixture.CallAsync($"/Failing/{Guid.NewGuid():N}/{handler}", failure, Guid.NewGuid().ToString());
        Assert.True((int)response.Status >= 400, $"expected a failure, got {response}");
        return response;
    }

    private static void AssertMessageAndMetadata(IngressResponse response, string message)
    {
        Assert.Contains(message, response.ErrorMessage, StringComparison.Ordinal);
        var metadata = response.Json["metadata"]?.AsObject();
        Assert.NotNull(metadata);
        foreach (var (key, value) in Metadata)
        {
            Assert.Equal(value, metadata[key]?.GetValue<string>());
        }
    }
}

[Collection(nameof(DefaultRuntime))]
public sealed class UserErrorsOnDefault(DefaultRuntime fixture) : UserErrorsTests(fixture);

[Collection(nameof(AlwaysSuspendingRuntime))]
public sealed class UserErrorsOnAlwaysSuspending(AlwaysSuspendingRuntime fixture) : UserErrorsTests(fixture);

[Collection(nameof(SingleThreadSinglePartitionRuntime))]
public sealed class UserErrorsOnSingleThreadSinglePartition(SingleThreadSinglePartitionRuntime fixture) : UserErrorsTests(fixture);

[Collection(nameof(Http11Runtime))]
public sealed class UserErrorsOnHttp11(Http11Runtime fixture) : UserErrorsTests(fixture);

[Collection(nameof(ThreeNodesRuntime))]
public sealed class UserErrorsOnThreeNodes(ThreeNodesRuntime fixture) : UserErrorsTests(fixture);

[Collection(nameof(ThreeNodesAlwaysSuspendingRuntime))]
public sealed class UserErrorsOnThreeNodesAlwaysSuspending(ThreeNodesAlwaysSuspendingRuntime fixture) : UserErrorsTests(fixture);

[Collection(nameof(V7Runtime))]
public sealed class UserErrorsOnV7(V7Runtime fixture) : UserErrorsTests(fixture);

[Collection(nameof(V7AlwaysSuspendingRuntime))]
public sealed class UserErrorsOnV7AlwaysSuspending(V7AlwaysSuspendingRuntime fixture) : UserErrorsTests(fixture);

[Collection(nameof(V7Http11Runtime))]
public sealed class UserErrorsOnV7Http11(V7Http11Runtime fixture) : UserErrorsTests(fixture);

[Collection(nameof(V7ThreeNodesRuntime))]
public sealed class UserErrorsOnV7ThreeNodes(V7ThreeNodesRuntime fixture) : UserErrorsTests(fixture);

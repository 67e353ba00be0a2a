using Restate.Sdk.Conformance.Tests.Infrastructure;

namespace Restate.Sdk.Conformance.Tests.Scenarios;

/// <summary>
/// Handlers that take a different path on replay than they journaled (sleep vs call, other callee, other one-way
/// target, other state key) are caught by the SDK's journal mismatch check: the invocation fails (the runtime,
/// allowed one attempt, kills it) and never reaches the code after the mismatch, which would bump a counter.
/// </summary>
public abstract class NonDeterminismErrorsTests(ConformanceFixture fixture)
{
    [Theory]
    [InlineData("eitherSleepOrCall")]
    [InlineData("callDifferentMethod")]
    [InlineData("backgroundInvokeWithDifferentTargets")]
    [InlineData("setDifferentKey")]
    public async Task NonDeterministicHandler_ReplayTakesAnotherPath_InvocationFailsAndCounterIsNotIncremented(string handler)
    {
        var key = $"{handler}-{Guid.NewGuid():N}";
        (await fixture.CallAsync($"/Counter/{key}/add", "1", Guid.NewGuid().ToString())).EnsureOk();

        var response = await fixture.CallAsync($"/NonDeterministic/{key}/{handler}", idempotencyKey: Guid.NewGuid().ToString());

        Assert.True((int)response.Status >= 400, $"expected the mismatch to fail the invocation, got {response}");
        var invocation = await fixture.InvocationStatusAsync(response.InvocationId!);
        Assert.Equal("completed", invocation?["status"]?.GetValue<string>());
        Assert.Equal("failure", invocation?["completion_result"]?.GetValue<string>());
        Assert.Equal("1", (await fixture.CallAsync($"/Counter/{key}/get")).EnsureOk().Body);
    }
}

/// <summary>alwaysSuspending with one attempt per invocation, killed when it fails: as the upstream class sets up.</summary>
public sealed class NonDeterminismAlwaysSuspendingRuntime() : ConformanceFixture(RuntimeConfiguration.AlwaysSuspending.With(
    ("RESTATE_DEFAULT_RETRY_POLICY__MAX_ATTEMPTS", "1"),
    ("RESTATE_DEFAULT_RETRY_POLICY__ON_MAX_ATTEMPTS", "kill"),
    ("RESTATE_DEFAULT_RETRY_POLICY__INITIAL_INTERVAL", "1ms")));

public sealed class NonDeterminismErrorsOnAlwaysSuspending(NonDeterminismAlwaysSuspendingRuntime fixture)
    : NonDeterminismErrorsTests(fixture), IClassFixture<NonDeterminismAlwaysSuspendingRuntime>;

/// <summary>The same on service protocol V7, where the runtime is told to retry (the SDK's default) on the mismatch.</summary>
public sealed class NonDeterminismV7AlwaysSuspendingRuntime() : ConformanceFixture(RuntimeConfiguration.V7AlwaysSuspending.With(
    ("RESTATE_DEFAULT_RETRY_POLICY__MAX_ATTEMPTS", "1"),
    ("RESTATE_DEFAULT_RETRY_POLICY__ON_MAX_ATTEMPTS", "kill"),
    ("RESTATE_DEFAULT_RETRY_POLICY__INITIAL_INTERVAL", "1ms")));

public sealed class NonDeterminismErrorsOnV7AlwaysSuspending(NonDeterminismV7AlwaysSuspendingRuntime fixture)
    : NonDeterminismErrorsTests(fixture), IClassFixture<NonDeterminismV7AlwaysSuspendingRuntime>;

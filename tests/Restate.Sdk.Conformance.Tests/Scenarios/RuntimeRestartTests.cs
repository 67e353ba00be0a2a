using Restate.Sdk.Conformance.Tests.Infrastructure;

namespace Restate.Sdk.Conformance.Tests.Scenarios;

/// <summary>
/// State written before the runtime goes down is there after it comes back: the shared scenario of KillRuntime
/// (SIGKILL, a crash) and StopRuntime (SIGTERM, a graceful stop).
/// </summary>
public abstract class RuntimeRestartTests(ConformanceFixture fixture)
{
    /// <summary>Takes the runtime down: kill or stop.</summary>
    protected abstract Task TakeDownAsync(IRestateRuntime runtime);

    protected async Task AssertStateSurvivesRestartAsync()
    {
        var counter = $"/Counter/{Guid.NewGuid():N}";
        var before = (await fixture.CallAsync($"{counter}/add", "1", Guid.NewGuid().ToString())).EnsureOk();
        Assert.Equal(1, before.Json["newValue"]!.GetValue<long>());

        await TakeDownAsync(fixture.Runtime);
        await fixture.Runtime.RestartAsync();

        // The same idempotency key on every attempt: an attempt that timed out after the add was done is not repeated.
        var idempotencyKey = Guid.NewGuid().ToString();
        var after = await Eventually.SucceedsAsync("the counter answers after the restart", async ct =>
            (await fixture.CallAsync($"{counter}/add", "2", idempotencyKey, ct: ct)).EnsureOk(), attemptTimeout: TimeSpan.FromSeconds(5));

        Assert.Equal((1, 3), (after.Json["oldValue"]!.GetValue<long>(), after.Json["newValue"]!.GetValue<long>()));
    }
}

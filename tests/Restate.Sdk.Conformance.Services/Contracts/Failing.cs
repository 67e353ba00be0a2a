using System.Collections.Concurrent;
using Restate.Sdk.Definitions;

namespace Restate.Sdk.Conformance.Services.Contracts;

internal sealed record FailureToPropagate(string ErrorMessage, Dictionary<string, string>? Metadata = null);

/// <summary>
/// <c>Failing</c>: terminal failures (with message and metadata) from handlers, calls and runs, and retried attempts
/// and runs. Attempts are counted in memory per invocation (the counter must survive retries, so it cannot be
/// journaled state), which keeps concurrent scenarios from sharing a count.
/// </summary>
internal static class Failing
{
    public const string Name = "Failing";

    /// <summary>The attempt at which <c>failingCallWithEventualSuccess</c> succeeds (the scenario expects exactly this).</summary>
    private const int SuccessAttempt = 4;

    private static readonly ConcurrentDictionary<string, int> Attempts = new();
    private static readonly Serde<FailureToPropagate> FailureSerde = Serde.Json(ConformanceJson.Default.FailureToPropagate);
    private static readonly RetryPolicy QuickRetries = RetryPolicy.FixedDelay(TimeSpan.FromMilliseconds(10));

    public static ServiceDefinition Definition() => ServiceDefinition.ForVirtualObject(Name)
        .Handler("terminallyFailingCall", (ObjectContext ctx, FailureToPropagate failure) =>
            Task.FromException(ToTerminal(failure)), FailureSerde)
        .Handler("callTerminallyFailingCall", async (ObjectContext ctx, FailureToPropagate failure) =>
        {
            var otherKey = ctx.Random.NewGuid().ToString();
            await ctx.CallAsync(Target.ForObject(Name, otherKey, "terminallyFailingCall"), failure, FailureSerde, Serde.Bytes);
            throw new InvalidOperationException("This should be unreachable: the call was expected to fail terminally.");
        }, FailureSerde, Serde.String)
        .Handler("failingCallWithEventualSuccess", (ObjectContext ctx) =>
        {
            var attempt = CountAttempt($"eventual-success:{ctx.InvocationId}");
            if (attempt < SuccessAttempt)
            {
                throw new InvalidOperationException($"Failed at attempt {attempt}");
            }
            Forget($"eventual-success:{ctx.InvocationId}");
            return Task.FromResult(attempt);
        }, Serde.Int32)
        .Handler("terminallyFailingSideEffect", async (ObjectContext ctx, FailureToPropagate failure) =>
        {
            await ctx.RunAsync("failing-side-effect", _ => Task.FromException(ToTerminal(failure)));
            throw new InvalidOperationException("This should be unreachable: the run was expected to fail terminally.");
        }, FailureSerde)
        .Handler("sideEffectSucceedsAfterGivenAttempts", async (ObjectContext ctx, int minimumAttempts) =>
        {
            var counter = $"run-succeeds:{ctx.InvocationId}";
            var attempts = await ctx.RunAsync("failing-side-effect", _ =>
            {
                var attempt = CountAttempt(counter);
                return attempt < minimumAttempts
                    ? throw new InvalidOperationException($"Failed at attempt {attempt}")
                    : Task.FromResult(attempt);
            }, Serde.Int32, new RunOptions { RetryPolicy = QuickRetries });
            Forget(counter);
            return attempts;
        }, Serde.Int32, Serde.Int32)
        .Handler("sideEffectFailsAfterGivenAttempts", async (ObjectContext ctx, int retryPolicyMaxRetryCount) =>
        {
            var counter = $"run-fails:{ctx.InvocationId}";
            try
            {
                await ctx.RunAsync("failing-side-effect", _ =>
                    Task.FromException(new InvalidOperationException($"Failed at attempt {CountAttempt(counter)}")),
                    new RunOptions { RetryPolicy = QuickRetries with { MaxAttempts = Math.Max(1, retryPolicyMaxRetryCount) } });
            }
            catch (TerminalException)
            {
                // The attempts happened in this process only if the run was not already journaled by an earlier one.
                var attempts = Attempts.TryGetValue(counter, out var count) ? count : retryPolicyMaxRetryCount;
                Forget(counter);
                return attempts;
            }
            throw new TerminalException("The side effect was supposed to fail!");
        }, Serde.Int32, Serde.Int32)
        .Build();

    private static TerminalException ToTerminal(FailureToPropagate failure) =>
        new(failure.ErrorMessage, TerminalException.DefaultCode, failure.Metadata);

    private static int CountAttempt(string counter) => Attempts.AddOrUpdate(counter, 1, static (_, count) => count + 1);

    private static void Forget(string counter) => Attempts.TryRemove(counter, out _);
}

using Restate.Sdk.Definitions;

namespace Restate.Sdk.Conformance.Services.Contracts;

internal sealed record ResolveSignalRequest(string InvocationId, string SignalName, string Value);

internal sealed record RejectSignalRequest(string InvocationId, string SignalName, string Reason);

/// <summary><c>TestUtilsService</c>: echoes, raw payloads, run acknowledgements, and acting on other invocations.</summary>
internal static class TestUtilsService
{
    public const string Name = "TestUtilsService";

    public static ServiceDefinition Definition() => ServiceDefinition.ForService(Name)
        .Handler("echo", (Context ctx, string input) => Task.FromResult(input), Serde.String, Serde.String)
        .Handler("uppercaseEcho", (Context ctx, string input) => Task.FromResult(input.ToUpperInvariant()), Serde.String, Serde.String)
        .Handler("echoHeaders", (Context ctx) => Task.FromResult(new Dictionary<string, string>(ctx.Headers)),
            Serde.Json(ConformanceJson.Default.DictionaryStringString))
        .Handler("rawEcho", (Context ctx, byte[] input) => Task.FromResult(input), Serde.Bytes, Serde.Bytes)
        .Handler("countExecutedSideEffects", async (Context ctx, int increments) =>
        {
            // Counts closures that really ran in this attempt: a replayed run returns its journaled result instead,
            // so an attempt that resumed after a suspension counts only the runs it executed itself.
            var executed = 0;
            for (var i = 0; i < increments; i++)
            {
                await ctx.RunAsync("count", _ =>
                {
                    Interlocked.Increment(ref executed);
                    return Task.CompletedTask;
                });
            }
            return Volatile.Read(ref executed);
        }, Serde.Int32, Serde.Int32)
        .Handler("cancelInvocation", (Context ctx, string invocationId) =>
        {
            ctx.CancelInvocation(invocationId);
            return Task.CompletedTask;
        }, Serde.String)
        .Handler("resolveSignal", (Context ctx, ResolveSignalRequest request) =>
        {
            ctx.ResolveSignal(request.InvocationId, request.SignalName, request.Value, Serde.String);
            return Task.CompletedTask;
        }, Serde.Json(ConformanceJson.Default.ResolveSignalRequest))
        .Handler("rejectSignal", (Context ctx, RejectSignalRequest request) =>
        {
            ctx.RejectSignal(request.InvocationId, request.SignalName, request.Reason);
            return Task.CompletedTask;
        }, Serde.Json(ConformanceJson.Default.RejectSignalRequest))
        .Build();
}

using Restate.Sdk.Definitions;

namespace Restate.Sdk.Conformance.Services.Contracts;

internal sealed record EchoLaterRequest(int Sleep, string Parameter);

internal sealed record IncrementViaAwakeableDanceRequest(InterpreterId Interpreter, string TxPromiseId);

/// <summary><c>ServiceInterpreterHelper</c>: the plain service that <see cref="ObjectInterpreter"/> programs call.</summary>
internal static class ServiceInterpreterHelper
{
    public const string Name = "ServiceInterpreterHelper";

    private static readonly Serde<InterpreterId> IdSerde = Serde.Json(ConformanceJson.Default.InterpreterId);

    public static ServiceDefinition Definition() => ServiceDefinition.ForService(Name)
        .Handler("ping", (Context ctx) => Task.CompletedTask)
        .Handler("echo", (Context ctx, string parameter) => Task.FromResult(parameter), Serde.String, Serde.String)
        .Handler("echoLater", async (Context ctx, EchoLaterRequest request) =>
        {
            await ctx.SleepAsync(TimeSpan.FromMilliseconds(request.Sleep));
            return request.Parameter;
        }, Serde.Json(ConformanceJson.Default.EchoLaterRequest), Serde.String)
        .Handler("terminalFailure", (Context ctx) => Task.FromException<string>(new TerminalException("bye")), Serde.String)
        .Handler("incrementIndirectly", (Context ctx, InterpreterId id) =>
        {
            ObjectInterpreter.SendInterpret(ctx, id, ObjectInterpreter.IncrementCounterProgram);
            return Task.CompletedTask;
        }, IdSerde)
        .Handler("resolveAwakeable", (Context ctx, string id) =>
        {
            ctx.ResolveAwakeable(id, "ok", Serde.String);
            return Task.CompletedTask;
        }, Serde.String)
        .Handler("rejectAwakeable", (Context ctx, string id) =>
        {
            ctx.RejectAwakeable(id, "error");
            return Task.CompletedTask;
        }, Serde.String)
        .Handler("incrementViaAwakeableDance", async (Context ctx, IncrementViaAwakeableDanceRequest request) =>
        {
            // Hand the interpreter an awakeable of ours through its handshake awakeable, wait until it resolves
            // ours, then ask it to increment its counter.
            var ours = ctx.Awakeable(Serde.String);
            ctx.ResolveAwakeable(request.TxPromiseId, ours.Id, Serde.String);
            await ours.Value;
            ObjectInterpreter.SendInterpret(ctx, request.Interpreter, ObjectInterpreter.IncrementCounterProgram);
        }, Serde.Json(ConformanceJson.Default.IncrementViaAwakeableDanceRequest))
        .Build();
}

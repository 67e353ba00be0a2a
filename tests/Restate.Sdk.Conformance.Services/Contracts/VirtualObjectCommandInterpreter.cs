using System.Text.Json.Serialization;
using Restate.Sdk.Definitions;

namespace Restate.Sdk.Conformance.Services.Contracts;

/// <summary>Something the interpreter can await: JSON objects told apart by their <c>type</c> field.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(CreateAwakeableCommand), "createAwakeable")]
[JsonDerivedType(typeof(SleepCommand), "sleep")]
[JsonDerivedType(typeof(RunReturnsCommand), "runReturns")]
[JsonDerivedType(typeof(RunThrowTerminalExceptionCommand), "runThrowTerminalException")]
[JsonDerivedType(typeof(CreateSignalCommand), "createSignal")]
internal abstract record AwaitableCommand;

internal sealed record CreateAwakeableCommand(string AwakeableKey) : AwaitableCommand;

internal sealed record SleepCommand(long TimeoutMillis) : AwaitableCommand;

internal sealed record RunReturnsCommand(string Value) : AwaitableCommand;

internal sealed record RunThrowTerminalExceptionCommand(string Reason) : AwaitableCommand;

internal sealed record CreateSignalCommand(string SignalName) : AwaitableCommand;

/// <summary>One step of <c>interpretCommands</c>: JSON objects told apart by their <c>type</c> field.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(AwaitAnySuccessfulCommand), "awaitAnySuccessful")]
[JsonDerivedType(typeof(AwaitAnyCommand), "awaitAny")]
[JsonDerivedType(typeof(AwaitOneCommand), "awaitOne")]
[JsonDerivedType(typeof(AwaitAwakeableOrTimeoutCommand), "awaitAwakeableOrTimeout")]
[JsonDerivedType(typeof(AwaitFirstSucceededOrAllFailedCommand), "awaitFirstSucceededOrAllFailed")]
[JsonDerivedType(typeof(AwaitFirstCompletedCommand), "awaitFirstCompleted")]
[JsonDerivedType(typeof(AwaitAllSucceededOrFirstFailedCommand), "awaitAllSucceededOrFirstFailed")]
[JsonDerivedType(typeof(AwaitAllCompletedCommand), "awaitAllCompleted")]
[JsonDerivedType(typeof(ResolveAwakeableCommand), "resolveAwakeable")]
[JsonDerivedType(typeof(RejectAwakeableCommand), "rejectAwakeable")]
[JsonDerivedType(typeof(GetEnvVariableCommand), "getEnvVariable")]
internal abstract record InterpreterCommand;

internal sealed record AwaitAnySuccessfulCommand(AwaitableCommand[] Commands) : InterpreterCommand;

internal sealed record AwaitAnyCommand(AwaitableCommand[] Commands) : InterpreterCommand;

internal sealed record AwaitOneCommand(AwaitableCommand Command) : InterpreterCommand;

internal sealed record AwaitAwakeableOrTimeoutCommand(string AwakeableKey, long TimeoutMillis) : InterpreterCommand;

internal sealed record AwaitFirstSucceededOrAllFailedCommand(AwaitableCommand[] Commands) : InterpreterCommand;

internal sealed record AwaitFirstCompletedCommand(AwaitableCommand[] Commands) : InterpreterCommand;

internal sealed record AwaitAllSucceededOrFirstFailedCommand(AwaitableCommand[] Commands) : InterpreterCommand;

internal sealed record AwaitAllCompletedCommand(AwaitableCommand[] Commands) : InterpreterCommand;

internal sealed record ResolveAwakeableCommand(string AwakeableKey, string Value) : InterpreterCommand;

internal sealed record RejectAwakeableCommand(string AwakeableKey, string Reason) : InterpreterCommand;

internal sealed record GetEnvVariableCommand(string EnvName) : InterpreterCommand;

internal sealed record InterpretRequest(InterpreterCommand[] Commands);

/// <summary>
/// <c>VirtualObjectCommandInterpreter</c>: runs a list of commands over awakeables, timers, runs and signals and their
/// combinators. Each command's result is appended to the <c>results</c> state; the last one is returned. Awakeable
/// ids are stored as <c>awk-{awakeableKey}</c> so the shared handlers can find and complete them.
/// </summary>
internal static class VirtualObjectCommandInterpreter
{
    public const string Name = "VirtualObjectCommandInterpreter";

    private static readonly Serde<string[]> Strings = Serde.Json(ConformanceJson.Default.StringArray);
    private static readonly StateKey<string[]> Results = new("results", Strings);

    public static ServiceDefinition Definition() => ServiceDefinition.ForVirtualObject(Name)
        .Handler("interpretCommands", async (ObjectContext ctx, InterpretRequest request) =>
        {
            var lastResult = string.Empty;
            foreach (var command in request.Commands)
            {
                lastResult = await Interpret(ctx, command);
                var results = await ctx.GetAsync(Results) ?? [];
                ctx.Set(Results, [.. results, lastResult]);
            }
            return lastResult;
        }, Serde.Json(ConformanceJson.Default.InterpretRequest), Serde.String)
        .SharedHandler("resolveAwakeable", async (SharedObjectContext ctx, ResolveAwakeableCommand command) =>
            ctx.ResolveAwakeable(await RegisteredAwakeable(ctx, command.AwakeableKey), command.Value, Serde.String),
            Serde.Json(ConformanceJson.Default.ResolveAwakeableCommand))
        .SharedHandler("rejectAwakeable", async (SharedObjectContext ctx, RejectAwakeableCommand command) =>
            ctx.RejectAwakeable(await RegisteredAwakeable(ctx, command.AwakeableKey), command.Reason),
            Serde.Json(ConformanceJson.Default.RejectAwakeableCommand))
        .SharedHandler("hasAwakeable", async (SharedObjectContext ctx, string awakeableKey) =>
            await ctx.GetAsync(AwakeableId(awakeableKey)) is not null, Serde.String, Serde.Boolean)
        .SharedHandler("getResults", async (SharedObjectContext ctx) => await ctx.GetAsync(Results) ?? [], Strings)
        .Build();

    private static async Task<string> Interpret(ObjectContext ctx, InterpreterCommand command)
    {
        switch (command)
        {
            case AwaitAnySuccessfulCommand c:
                return await DurableFuture.Any(Futures(ctx, c.Commands));
            case AwaitFirstSucceededOrAllFailedCommand c:
                return await DurableFuture.Any(Futures(ctx, c.Commands));
            case AwaitAnyCommand c:
                return await DurableFuture.Race(Futures(ctx, c.Commands));
            case AwaitFirstCompletedCommand c:
                return await DurableFuture.Race(Futures(ctx, c.Commands));
            case AwaitOneCommand c:
                return await Future(ctx, c.Command);
            case AwaitAwakeableOrTimeoutCommand c:
                {
                    var awakeable = CreateAwakeable(ctx, c.AwakeableKey);
                    var timer = ctx.SleepAsync(TimeSpan.FromMilliseconds(c.TimeoutMillis));
                    if (await DurableFuture.Race(awakeable, timer) == 1)
                    {
                        throw new TerminalException("await-timeout");
                    }
                    return await awakeable;
                }
            case AwaitAllSucceededOrFirstFailedCommand c:
                return string.Join('|', await DurableFuture.All(Futures(ctx, c.Commands)));
            case AwaitAllCompletedCommand c:
                {
                    var futures = Futures(ctx, c.Commands);
                    await DurableFuture.AllSettled(futures);
                    var outcomes = new List<string>(futures.Length);
                    foreach (var future in futures)
                    {
                        try
                        {
                            outcomes.Add($"ok:{await future}");
                        }
                        catch (TerminalException e)
                        {
                            outcomes.Add($"err:{e.Message}");
                        }
                    }
                    return string.Join('|', outcomes);
                }
            case ResolveAwakeableCommand c:
                ctx.ResolveAwakeable(await RegisteredAwakeable(ctx, c.AwakeableKey), c.Value, Serde.String);
                return string.Empty;
            case RejectAwakeableCommand c:
                ctx.RejectAwakeable(await RegisteredAwakeable(ctx, c.AwakeableKey), c.Reason);
                return string.Empty;
            case GetEnvVariableCommand c:
                return await ctx.RunAsync("getEnvVariable",
                    _ => Task.FromResult(Environment.GetEnvironmentVariable(c.EnvName) ?? string.Empty), Serde.String);
            default:
                throw new TerminalException($"Unknown command {command.GetType().Name}", 400);
        }
    }

    private static DurableFuture<string>[] Futures(ObjectContext ctx, AwaitableCommand[] commands) =>
        [.. commands.Select(command => Future(ctx, command))];

    private static DurableFuture<string> Future(ObjectContext ctx, AwaitableCommand command) => command switch
    {
        CreateAwakeableCommand c => CreateAwakeable(ctx, c.AwakeableKey),
        // Race over the timer alone gives it a value (its index) that can be mapped to the contract's "sleep".
        SleepCommand c => DurableFuture.Race(ctx.SleepAsync(TimeSpan.FromMilliseconds(c.TimeoutMillis))).Map(_ => "sleep"),
        RunReturnsCommand c => ctx.RunAsync("runReturns", async cancellation =>
        {
            // The contract asks for real asynchronous work inside the run.
            await Task.Delay(1, cancellation);
            return c.Value;
        }, Serde.String),
        RunThrowTerminalExceptionCommand c => ctx.RunAsync("runThrowTerminalException",
            _ => Task.FromException<string>(new TerminalException(c.Reason)), Serde.String),
        CreateSignalCommand c => ctx.Signal(c.SignalName, Serde.String),
        _ => throw new TerminalException($"Unknown awaitable {command.GetType().Name}", 400),
    };

    private static DurableFuture<string> CreateAwakeable(ObjectContext ctx, string awakeableKey)
    {
        var awakeable = ctx.Awakeable(Serde.String);
        ctx.Set(AwakeableId(awakeableKey), awakeable.Id);
        return awakeable.Value;
    }

    private static async Task<string> RegisteredAwakeable(SharedObjectContext ctx, string awakeableKey) =>
        await ctx.GetAsync(AwakeableId(awakeableKey)) ?? throw new TerminalException("awakeable is not registered yet", 404);

    private static StateKey<string> AwakeableId(string awakeableKey) => new($"awk-{awakeableKey}", Serde.String);
}

using System.Globalization;
using System.Text.Json.Serialization;
using Restate.Sdk.Definitions;

namespace Restate.Sdk.Conformance.Services.Contracts;

/// <summary>One step of an <c>ObjectInterpreter</c> program: JSON objects told apart by their numeric <c>kind</c>.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(SetStateStep), 1)]
[JsonDerivedType(typeof(GetStateStep), 2)]
[JsonDerivedType(typeof(ClearStateStep), 3)]
[JsonDerivedType(typeof(IncrementStateCounterStep), 4)]
[JsonDerivedType(typeof(IncrementStateCounterIndirectlyStep), 5)]
[JsonDerivedType(typeof(SleepStep), 6)]
[JsonDerivedType(typeof(CallServiceStep), 7)]
[JsonDerivedType(typeof(CallSlowServiceStep), 8)]
[JsonDerivedType(typeof(IncrementViaDelayedCallStep), 9)]
[JsonDerivedType(typeof(SideEffectStep), 10)]
[JsonDerivedType(typeof(ThrowingSideEffectStep), 11)]
[JsonDerivedType(typeof(SlowSideEffectStep), 12)]
[JsonDerivedType(typeof(RecoverTerminalCallStep), 13)]
[JsonDerivedType(typeof(RecoverTerminalCallMaybeUnAwaitedStep), 14)]
[JsonDerivedType(typeof(AwaitPromiseStep), 15)]
[JsonDerivedType(typeof(ResolveAwakeableStep), 16)]
[JsonDerivedType(typeof(RejectAwakeableStep), 17)]
[JsonDerivedType(typeof(IncrementStateCounterViaAwakeableStep), 18)]
[JsonDerivedType(typeof(CallObjectStep), 19)]
internal abstract record InterpreterStep;

internal sealed record SetStateStep(int Key) : InterpreterStep;

internal sealed record GetStateStep(int Key) : InterpreterStep;

internal sealed record ClearStateStep(int Key) : InterpreterStep;

internal sealed record IncrementStateCounterStep : InterpreterStep;

internal sealed record IncrementStateCounterIndirectlyStep : InterpreterStep;

internal sealed record SleepStep(int Duration) : InterpreterStep;

internal sealed record CallServiceStep : InterpreterStep;

internal sealed record CallSlowServiceStep(int Sleep) : InterpreterStep;

internal sealed record IncrementViaDelayedCallStep(int Duration) : InterpreterStep;

internal sealed record SideEffectStep : InterpreterStep;

internal sealed record ThrowingSideEffectStep : InterpreterStep;

internal sealed record SlowSideEffectStep : InterpreterStep;

internal sealed record RecoverTerminalCallStep : InterpreterStep;

internal sealed record RecoverTerminalCallMaybeUnAwaitedStep : InterpreterStep;

internal sealed record AwaitPromiseStep(int Index) : InterpreterStep;

internal sealed record ResolveAwakeableStep : InterpreterStep;

internal sealed record RejectAwakeableStep : InterpreterStep;

internal sealed record IncrementStateCounterViaAwakeableStep : InterpreterStep;

internal sealed record CallObjectStep(int Key, InterpreterProgram Program) : InterpreterStep;

internal sealed record InterpreterProgram(InterpreterStep[] Commands);

/// <summary>Which interpreter object: its layer (<c>ObjectInterpreterL{layer}</c>) and key.</summary>
internal sealed record InterpreterId(int Layer, string Key);

/// <summary>
/// <c>ObjectInterpreterL0</c>, <c>L1</c> and <c>L2</c> (the contract's <c>ObjectInterpreter</c>, one virtual object per
/// layer): run a program of numbered command kinds against state, timers, runs, calls and awakeables. A layer only
/// makes blocking calls to the next layer, so programs cannot deadlock on their own keys.
/// </summary>
internal static class ObjectInterpreter
{
    public const string ContractName = "ObjectInterpreter";
    public const int Layers = 3;

    private static readonly StateKey<int> Counter = new("counter", Serde.Int32);
    private static readonly Serde<InterpreterProgram> ProgramSerde = Serde.Json(ConformanceJson.Default.InterpreterProgram);
    private static readonly Serde<InterpreterId> IdSerde = Serde.Json(ConformanceJson.Default.InterpreterId);

    public static string NameOf(int layer) => $"{ContractName}L{layer}";

    public static ServiceDefinition Definition(int layer) => ServiceDefinition.ForVirtualObject(NameOf(layer))
        .SharedHandler("counter", async (SharedObjectContext ctx) => await ctx.GetAsync(Counter), Serde.Int32)
        .Handler("interpret", (ObjectContext ctx, InterpreterProgram program) => Interpret(ctx, new InterpreterId(layer, ctx.Key), program),
            ProgramSerde)
        .Build();

    /// <summary>A program that adds one to an interpreter's counter.</summary>
    public static InterpreterProgram IncrementCounterProgram { get; } = new([new IncrementStateCounterStep()]);

    public static void SendInterpret(Context ctx, InterpreterId id, InterpreterProgram program) =>
        ctx.Send(Target.ForObject(NameOf(id.Layer), id.Key, "interpret"), program, ProgramSerde);

    private static async Task Interpret(ObjectContext ctx, InterpreterId me, InterpreterProgram program)
    {
        // Work started by one step and awaited by a later AwaitPromise step, with the value it must produce. The
        // futures are created (their commands journaled) by the starting step; the thunk only awaits them.
        var pending = new Dictionary<int, (Func<Task<string?>> Await, string? Expected)>();
        var steps = program.Commands;
        for (var i = 0; i < steps.Length; i++)
        {
            switch (steps[i])
            {
                case SetStateStep s:
                    ctx.Set(StateEntry(s.Key), $"value-{s.Key}");
                    break;
                case GetStateStep s:
                    await ctx.GetAsync(StateEntry(s.Key));
                    break;
                case ClearStateStep s:
                    ctx.Clear(StateEntry(s.Key).Name);
                    break;
                case IncrementStateCounterStep:
                    ctx.Set(Counter, await ctx.GetAsync(Counter) + 1);
                    break;
                case SleepStep s:
                    await ctx.SleepAsync(TimeSpan.FromMilliseconds(s.Duration));
                    break;
                case CallServiceStep:
                    {
                        var expected = $"hello-{i}";
                        pending[i] = (Awaiting(Helper(ctx, "echo", expected, Serde.String, Serde.String)), expected);
                        break;
                    }
                case IncrementViaDelayedCallStep s:
                    ctx.Send(Target.ForService(ServiceInterpreterHelper.Name, "incrementIndirectly"), me, IdSerde,
                        new SendOptions { Delay = TimeSpan.FromMilliseconds(s.Duration) });
                    break;
                case CallSlowServiceStep s:
                    {
                        var expected = $"hello-{i}";
                        pending[i] = (Awaiting(Helper(ctx, "echoLater", new EchoLaterRequest(s.Sleep, expected),
                            Serde.Json(ConformanceJson.Default.EchoLaterRequest), Serde.String)), expected);
                        break;
                    }
                case SideEffectStep:
                    {
                        var expected = $"hello-{i}";
                        var result = await ctx.RunAsync("sideEffect", _ => Task.FromResult(expected), Serde.String);
                        if (result != expected)
                        {
                            throw new TerminalException($"RPC failure {result} != {expected}");
                        }
                        break;
                    }
                case SlowSideEffectStep:
                    await ctx.RunAsync("slowSideEffect", cancellation => Task.Delay(1, cancellation));
                    break;
                case RecoverTerminalCallStep:
                    if (!await FailsTerminally(Helper(ctx, "terminalFailure", [], Serde.Bytes, Serde.String)))
                    {
                        throw new TerminalException("Test assertion failed, was expected to get a terminal error.");
                    }
                    break;
                case RecoverTerminalCallMaybeUnAwaitedStep:
                    pending[i] = (AwaitingFailure(Helper(ctx, "terminalFailure", [], Serde.Bytes, Serde.String), "terminal"), "terminal");
                    break;
                case ThrowingSideEffectStep:
                    await ctx.RunAsync("throwingSideEffect", _ => Random.Shared.Next(2) == 0
                        ? Task.FromException(new InvalidOperationException("undefined is not a number, but it still has feelings."))
                        : Task.CompletedTask);
                    break;
                case IncrementStateCounterIndirectlyStep:
                    ctx.Send(Target.ForService(ServiceInterpreterHelper.Name, "incrementIndirectly"), me, IdSerde);
                    break;
                case AwaitPromiseStep s:
                    {
                        if (!pending.Remove(s.Index, out var awaited))
                        {
                            throw new TerminalException($"ObjectInterpreter: can not find a promise for the id {s.Index}.");
                        }
                        var result = await awaited.Await();
                        if (awaited.Expected is not null && result != awaited.Expected)
                        {
                            throw new TerminalException(
                                $"Awaited promise mismatch. got {result} expected {awaited.Expected}; command {steps[s.Index]}");
                        }
                        break;
                    }
                case ResolveAwakeableStep:
                    {
                        var awakeable = ctx.Awakeable(Serde.String);
                        pending[i] = (Awaiting(awakeable.Value), "ok");
                        ctx.Send(Target.ForService(ServiceInterpreterHelper.Name, "resolveAwakeable"), awakeable.Id, Serde.String);
                        break;
                    }
                case RejectAwakeableStep:
                    {
                        var awakeable = ctx.Awakeable(Serde.String);
                        pending[i] = (AwaitingFailure(awakeable.Value, "rejected"), "rejected");
                        ctx.Send(Target.ForService(ServiceInterpreterHelper.Name, "rejectAwakeable"), awakeable.Id, Serde.String);
                        break;
                    }
                case IncrementStateCounterViaAwakeableStep:
                    {
                        // The helper hands back an awakeable of its own; resolving it makes the helper increment our counter.
                        var handshake = ctx.Awakeable(Serde.String);
                        ctx.Send(Target.ForService(ServiceInterpreterHelper.Name, "incrementViaAwakeableDance"),
                            new IncrementViaAwakeableDanceRequest(me, handshake.Id),
                            Serde.Json(ConformanceJson.Default.IncrementViaAwakeableDanceRequest));
                        var theirs = await handshake.Value;
                        ctx.ResolveAwakeable(theirs, "ok", Serde.String);
                        break;
                    }
                case CallObjectStep s:
                    {
                        var key = s.Key.ToString(CultureInfo.InvariantCulture);
                        var call = ctx.CallAsync(Target.ForObject(NameOf(me.Layer + 1), key, "interpret"), s.Program, ProgramSerde, Serde.Bytes);
                        pending[i] = (async () =>
                        {
                            await call;
                            return null;
                        }, null);
                        break;
                    }
                default:
                    throw new TerminalException($"Unknown interpreter command {steps[i]}", 400);
            }
        }
    }

    private static CallFuture<TOut> Helper<TIn, TOut>(Context ctx, string handler, TIn input, Serde<TIn> inputSerde, Serde<TOut> outputSerde) =>
        ctx.CallAsync(Target.ForService(ServiceInterpreterHelper.Name, handler), input, inputSerde, outputSerde);

    private static Func<Task<string?>> Awaiting(DurableFuture<string> future) => async () => await future;

    /// <summary>Awaits <paramref name="future"/>, expecting a terminal failure: gives <paramref name="onFailure"/> for it.</summary>
    private static Func<Task<string?>> AwaitingFailure(DurableFuture<string> future, string onFailure) => async () =>
        await FailsTerminally(future) ? onFailure : throw new TerminalException("unexpectedly succeeded");

    private static async Task<bool> FailsTerminally(DurableFuture future)
    {
        try
        {
            await future;
            return false;
        }
        catch (TerminalException)
        {
            return true;
        }
    }

    private static StateKey<string> StateEntry(int key) => new($"key-{key}", Serde.String);
}

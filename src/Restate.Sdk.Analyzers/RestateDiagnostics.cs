using Microsoft.CodeAnalysis;

namespace Restate.Sdk.Analyzers;

/// <summary>
/// The diagnostics of the Restate analyzers, RESTATE100 onwards (RESTATE001–022 belong to the source generator).
/// Each is documented in <c>docs/analyzers.md</c>, one section per id.
/// </summary>
internal static class RestateDiagnostics
{
    public const string Category = "Restate";

    /// <summary>Where each id's documentation lives; the anchor is the lowercase id.</summary>
    public const string HelpLinkBase = "docs/analyzers.md#";

    private const string HandlerCode =
        "Handler code (a method, local function or lambda with a Restate context parameter) runs again on every replay and retry, outside RunAsync closures.";

    public static readonly DiagnosticDescriptor ClockRead = Create(
        "RESTATE100",
        "Clock read in Restate handler code",
        "'{0}' reads the machine clock, which gives another value when the handler replays; use {1}",
        DiagnosticSeverity.Warning,
        HandlerCode + " A clock read there returns a different time on every replay, so any decision or state derived from it can diverge from the journal. Use the journaled ctx.NowAsync(), or read the clock inside ctx.RunAsync.");

    public static readonly DiagnosticDescriptor Randomness = Create(
        "RESTATE101",
        "Randomness in Restate handler code",
        "'{0}' is random, so it gives another value when the handler replays; use {1}",
        DiagnosticSeverity.Warning,
        HandlerCode + " Random numbers and GUIDs differ on every replay. ctx.Random is seeded from the invocation id and gives the same sequence on every replay.");

    public static readonly DiagnosticDescriptor NonDurableWait = Create(
        "RESTATE102",
        "Non-durable wait in Restate handler code",
        "'{0}' is not a durable timer: it waits again on every replay and keeps the invocation from suspending; use {1}",
        DiagnosticSeverity.Warning,
        HandlerCode + " Task.Delay and Thread.Sleep hold the attempt open (Thread.Sleep also blocks the invocation's scheduler), are repeated on replay, and are lost on a crash. ctx.SleepAsync is journaled, and the invocation suspends while it waits.");

    public static readonly DiagnosticDescriptor EnvironmentRead = Create(
        "RESTATE103",
        "Environment read in Restate handler code",
        "'{0}' reads the process environment, which can differ on the host that replays the handler; {1}",
        DiagnosticSeverity.Warning,
        HandlerCode + " A replay may run in another process, container or Lambda sandbox, whose environment variables, machine name or process id differ. Read configuration once at startup, or inside ctx.RunAsync so the value is journaled.");

    public static readonly DiagnosticDescriptor TaskCombinator = Create(
        "RESTATE104",
        "Task combinator over durable work",
        "'Task.{0}' combines tasks that await durable futures; combine the futures themselves with {1}",
        DiagnosticSeverity.Info,
        "The SDK drives several awaits in flight deterministically, so Task.WhenAll/WhenAny over branches that await durable futures replays correctly. " +
        "The DurableFuture combinators still say more: one journaled combinator, fail-fast All, Any/Race/AllSettled semantics as in every Restate SDK, and no extra task per branch.");

    public static readonly DiagnosticDescriptor BlockingWait = Create(
        "RESTATE105",
        "Synchronous wait on durable work in Restate handler code",
        "'{0}' waits synchronously for durable work: {1}; await it instead",
        DiagnosticSeverity.Warning,
        HandlerCode + " Durable results are delivered by the invocation's scheduler when the handler is idle at an await. " +
        "Blocking that scheduler (Task.WaitAll/WaitAny, Wait(), Result, GetAwaiter().GetResult()) on a task that awaits a durable future deadlocks the attempt, " +
        "and GetAwaiter().GetResult() on a durable future without a result throws instead of waiting.");

    public static readonly DiagnosticDescriptor OffScheduler = Create(
        "RESTATE106",
        "Work started off the invocation's scheduler",
        "'{0}' runs code on another thread, outside the invocation's scheduler, where the context throws and journal order depends on thread timing; {1}",
        DiagnosticSeverity.Warning,
        HandlerCode + " The SDK runs handler code on a per-invocation scheduler so the order of journaled commands never depends on thread timing. " +
        "Task.Run, Task.Factory.StartNew, new Thread and ThreadPool.QueueUserWorkItem escape it.");

    public static readonly DiagnosticDescriptor ConfigureAwaitFalse = Create(
        "RESTATE107",
        "ConfigureAwait(false) in Restate handler code",
        "'{0}' resumes the handler off its invocation's scheduler, where the context throws and journal order depends on thread timing; remove it from handler code",
        DiagnosticSeverity.Warning,
        HandlerCode + " Awaits in handler code must resume on the invocation's scheduler (its SynchronizationContext). " +
        "Durable futures have no ConfigureAwait; on tasks it moves the rest of the handler to the thread pool. Inside RunAsync closures and in non-handler code it is fine.");

    public static readonly DiagnosticDescriptor ContextInRunClosure = Create(
        "RESTATE108",
        "Restate context used inside a RunAsync closure",
        "'{0}' is a Restate context used inside a RunAsync closure, where its operations are rejected; do durable steps in the handler and pass their results into the closure in locals",
        DiagnosticSeverity.Warning,
        "A RunAsync closure is a side effect whose result is journaled; it runs once on a pool thread and is skipped on replay. The SDK rejects context operations inside it " +
        "(calls, state, timers, awakeables), as every Restate SDK does; ctx.Random and ctx.Logger are not thread-safe there, and drawing from ctx.Random only when the closure runs " +
        "shifts the replayed random sequence. Reading ctx.Key, ctx.InvocationId and ctx.Headers is allowed: they are fixed for the invocation.");

    public static readonly DiagnosticDescriptor SwallowedAttemptEnd = Create(
        "RESTATE109",
        "Catch clause swallows the end of the attempt",
        "This catch clause also catches AttemptEndedException, which unwinds the handler when its attempt ends (it suspended, lost its connection or failed); rethrow it: add 'when (e is not AttemptEndedException)', or a 'catch (AttemptEndedException) { throw; }' before this one",
        DiagnosticSeverity.Warning,
        HandlerCode + " When an attempt ends before the handler returns, every pending await throws AttemptEndedException so that finally blocks and using disposals run. " +
        "A catch of Exception, SystemException or OperationCanceledException (or a bare catch) without a filter and without a throw keeps the handler running code " +
        "whose results nobody takes; every later use of the context throws again.");

    private static DiagnosticDescriptor Create(string id, string title, string message, DiagnosticSeverity severity, string description) =>
        new(id, title, message, Category, severity, isEnabledByDefault: true, description, HelpLinkBase + id.ToLowerInvariant());
}

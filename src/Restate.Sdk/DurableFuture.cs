using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Restate.Sdk.Driver;
using Restate.Sdk.Engine;
using Restate.Sdk.Futures;

namespace Restate.Sdk;

/// <summary>
/// A result the Restate runtime produces durably: a call's response, a timer, a run's value, an awakeable, a promise.
/// Await it like a task. Combine several with <see cref="All(DurableFuture[])"/>, <see cref="Any{T}"/>,
/// <see cref="Race{T}"/> or <see cref="AllSettled"/>. <c>Task.WhenAll</c>/<c>Task.WhenAny</c> over async methods that
/// await durable futures also replay deterministically, but cost a task per branch and do not fail fast (analyzer
/// RESTATE104); never block on a future (<c>.Result</c>, <c>Wait</c>: RESTATE105).
/// </summary>
/// <remarks>
/// The command behind a future is written when the future is created, not when it is awaited, so the journal
/// order is the order of the calls in the handler code. Awaiting suspends the invocation when the result is not
/// available yet and the runtime asks for it; the invocation later resumes by replaying to this point. A future
/// remembers its outcome, so awaiting it again returns (or throws) the same result.
/// </remarks>
public abstract class DurableFuture
{
    private bool _cancelledAwait;

    private protected DurableFuture(InvocationCore? core) => Core = core;

    /// <summary>The invocation the future belongs to; null only for a future resolved from the start (an empty <see cref="All(DurableFuture[])"/>).</summary>
    internal InvocationCore? Core { get; }

    internal bool IsResolved { get; private protected set; }

    internal Exception? Failure { get; private protected set; }

    /// <summary>Awaits the future; throws <see cref="TerminalException"/> if it failed or the invocation was cancelled.</summary>
    public DurableFutureAwaiter GetAwaiter() => new(this);

    /// <summary>Completes when every future succeeded, or fails with the first failure; at once when there are none.</summary>
    /// <param name="futures">Futures of the same invocation.</param>
    public static DurableFuture All(params DurableFuture[] futures) =>
        futures.Length == 0
            ? new ResolvedFuture<Unit>(Unit.Value)
            : new CombinatorFuture<Unit>(CheckSameInvocation(futures), CombinatorKind.AllSucceededOrFirstFailed, futures, static _ => Unit.Value);

    /// <summary>Completes with every value, in order, when all succeeded; fails with the first failure; at once with no values when there are none.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="futures">Futures of the same invocation.</param>
    public static DurableFuture<T[]> All<T>(params DurableFuture<T>[] futures) =>
        futures.Length == 0
            ? new ResolvedFuture<T[]>([])
            : new CombinatorFuture<T[]>(CheckSameInvocation(futures), CombinatorKind.AllSucceededOrFirstFailed, futures,
                children => [.. children.Cast<DurableFuture<T>>().Select(f => f.Value!)]);

    /// <summary>Completes with the first successful value (lowest index on ties); fails when all failed.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="futures">Futures of the same invocation.</param>
    public static DurableFuture<T> Any<T>(params DurableFuture<T>[] futures) =>
        new CombinatorFuture<T>(CheckSameInvocation(futures), CombinatorKind.FirstSucceededOrAllFailed, futures,
            children => children.Cast<DurableFuture<T>>().First(f => f.IsResolved && f.Failure is null).Value!);

    /// <summary>Completes like the first future to complete, successfully or not (lowest index on ties).</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="futures">Futures of the same invocation.</param>
    public static DurableFuture<T> Race<T>(params DurableFuture<T>[] futures) =>
        new CombinatorFuture<T>(CheckSameInvocation(futures), CombinatorKind.FirstCompleted, futures,
            children => children.Cast<DurableFuture<T>>().First(f => f.IsResolved).Value!);

    /// <summary>Completes with the index of the first future to complete (lowest index on ties), whatever its outcome.</summary>
    /// <param name="futures">Futures of the same invocation.</param>
    public static DurableFuture<int> Race(params DurableFuture[] futures) =>
        new CombinatorFuture<int>(CheckSameInvocation(futures), CombinatorKind.FirstCompleted, futures,
            children => children.FindIndex(f => f.IsResolved), propagateFailure: false);

    /// <summary>Completes when every future completed, successfully or not (at once when there are none); await each one to read its outcome.</summary>
    /// <param name="futures">Futures of the same invocation.</param>
    public static DurableFuture AllSettled(params DurableFuture[] futures) =>
        futures.Length == 0
            ? new ResolvedFuture<Unit>(Unit.Value)
            : new CombinatorFuture<Unit>(CheckSameInvocation(futures), CombinatorKind.AllCompleted, futures, static _ => Unit.Value,
                propagateFailure: false);

    /// <summary>Takes whatever the state machine has for this future; true once it is resolved. Only on the invocation's scheduler.</summary>
    internal abstract bool TryComplete();

    /// <summary>The part of this future the runtime still has to complete, or null when resolved.</summary>
    internal abstract UnresolvedFuture? ToUnresolved();

    /// <summary>Set by the driver when the invocation was cancelled while this future was awaited.</summary>
    internal void FailAwaitWithCancellation() => _cancelledAwait = true;

    internal void ThrowIfFailed()
    {
        if (!IsResolved && Core is { HasEnded: true } core)
        {
            throw new AttemptEndedException(core.AttemptEnded);
        }
        if (_cancelledAwait)
        {
            _cancelledAwait = false;
            throw new TerminalException("The invocation was cancelled.", TerminalException.CancelledCode);
        }
        if (!IsResolved)
        {
            // Blocking (GetAwaiter().GetResult()) instead of awaiting: there is no value yet, and a default would be a
            // silently wrong answer.
            throw new InvalidOperationException(
                "This durable future has no result yet: await it (await future) instead of blocking on it with GetAwaiter().GetResult(). " +
                "Only an await lets the invocation wait for the runtime, or suspend and resume later (analyzer RESTATE105).");
        }
        if (Failure is not null)
        {
            ExceptionDispatchInfo.Throw(Failure);
        }
    }

    /// <summary>The one invocation of <paramref name="futures"/> (futures resolved from the start belong to none).</summary>
    private static InvocationCore? CheckSameInvocation(DurableFuture[] futures)
    {
        ArgumentNullException.ThrowIfNull(futures);
        if (futures.Length == 0)
        {
            throw new ArgumentException("Any and Race need at least one future: with none there is no value to complete with.", nameof(futures));
        }
        var cores = futures.Select(f => f.Core).Where(c => c is not null).Distinct().ToList();
        if (cores.Count > 1)
        {
            throw new ArgumentException("All futures of a combinator must belong to the same invocation.", nameof(futures));
        }
        return cores.SingleOrDefault();
    }

    /// <summary>Whether the awaiter may continue at once: resolved, or resolvable now (<see cref="InvocationCore.TryCompleteNow"/>).</summary>
    internal bool IsCompletedForAwait() => IsResolved || (Core is { } core ? core.TryCompleteNow(this) : TryComplete());

    internal void RegisterAwait(Action continuation) =>
        (Core ?? throw new InvalidOperationException("A future without an invocation is always completed.")).RegisterAwait(this, continuation);
}

/// <summary>A durable result of type <typeparamref name="T"/>; see <see cref="DurableFuture"/>.</summary>
/// <typeparam name="T">The value type.</typeparam>
public abstract class DurableFuture<T> : DurableFuture
{
    private protected DurableFuture(InvocationCore? core)
        : base(core)
    {
    }

    internal T? Value { get; private protected set; }

    /// <summary>Awaits the value; throws <see cref="TerminalException"/> if it failed or the invocation was cancelled.</summary>
    public new DurableFutureAwaiter<T> GetAwaiter() => new(this);

    /// <summary>Transforms the value once available, without awaiting (the mapping runs on every replay).</summary>
    /// <typeparam name="TResult">The mapped type.</typeparam>
    /// <param name="map">A pure function of the value.</param>
    public DurableFuture<TResult> Map<TResult>(Func<T, TResult> map) => new MappedFuture<T, TResult>(this, map);

    /// <summary>
    /// Fails with a <see cref="TerminalException"/> (code 408) when no result arrived within <paramref name="timeout"/>.
    /// The timer is durable; the original future stays usable.
    /// </summary>
    /// <param name="timeout">How long to wait.</param>
    public DurableFuture<T> WithTimeout(TimeSpan timeout)
    {
        if (Core is not { } core)
        {
            // Resolved from the start: nothing to time out.
            return this;
        }
        var timer = core.Sleep(timeout, "timeout");
        return new CombinatorFuture<T>(core, CombinatorKind.FirstCompleted, [this, timer], children =>
            children[0].IsResolved
                ? ((DurableFuture<T>)children[0]).Value!
                : throw new TerminalException($"Timed out after {timeout}.", 408),
            propagateFailure: false, failureOf: children => children[0].IsResolved ? children[0].Failure : null);
    }

    internal T GetResult()
    {
        ThrowIfFailed();
        return Value!;
    }
}

/// <summary>The awaiter of a <see cref="DurableFuture"/>.</summary>
public readonly struct DurableFutureAwaiter : ICriticalNotifyCompletion
{
    private readonly DurableFuture _future;

    internal DurableFutureAwaiter(DurableFuture future) => _future = future;

    /// <summary>True when the result is available without waiting.</summary>
    public bool IsCompleted => _future.IsCompletedForAwait();

    /// <summary>Rethrows the failure, if any.</summary>
    public void GetResult() => _future.ThrowIfFailed();

    /// <inheritdoc />
    public void OnCompleted(Action continuation) => _future.RegisterAwait(continuation);

    /// <inheritdoc />
    public void UnsafeOnCompleted(Action continuation) => _future.RegisterAwait(continuation);
}

/// <summary>The awaiter of a <see cref="DurableFuture{T}"/>.</summary>
/// <typeparam name="T">The value type.</typeparam>
public readonly struct DurableFutureAwaiter<T> : ICriticalNotifyCompletion
{
    private readonly DurableFuture<T> _future;

    internal DurableFutureAwaiter(DurableFuture<T> future) => _future = future;

    /// <summary>True when the result is available without waiting.</summary>
    public bool IsCompleted => _future.IsCompletedForAwait();

    /// <summary>The value, or the failure rethrown.</summary>
    public T GetResult() => _future.GetResult();

    /// <inheritdoc />
    public void OnCompleted(Action continuation) => _future.RegisterAwait(continuation);

    /// <inheritdoc />
    public void UnsafeOnCompleted(Action continuation) => _future.RegisterAwait(continuation);
}

using Restate.Sdk.Definitions;
using Restate.Sdk.Driver;

namespace Restate.Sdk.Testing;

/// <summary>
/// Runs handlers on a real <typeparamref name="TContext"/> over an in-memory stand-in for restate-server, and records
/// what they did: state, runs, calls, sends, sleeps. Create one with <see cref="FakeContext"/>.
/// </summary>
/// <typeparam name="TContext">The context the handlers take.</typeparam>
/// <remarks>
/// <para>
/// The handler runs on the SDK's real engine, so serdes, journal order, determinism checks and the handling of
/// <see cref="TerminalException"/> and retries are the SDK's own. The fake runtime speaks request/response: each await
/// that cannot complete at once ends the attempt, the runtime answers (calls from the scripts, sleeps at once, runs
/// with their results) and the handler is replayed from the start with the journal, as on Lambda. So code outside
/// <c>ctx.RunAsync</c> may run several times per invocation; run closures execute once (unless they fail and are
/// retried), and a handler that does not replay deterministically fails.
/// </para>
/// <para>
/// State, promises, the clock and the records carry over from one <c>InvokeAsync</c> to the next, as for an object
/// invoked twice. Invocations run one at a time.
/// </para>
/// </remarks>
public sealed class FakeContext<TContext>
    where TContext : Context
{
    private readonly FakeRuntime _runtime;

    internal FakeContext(FakeContextOptions options, string? key, HandlerKind kind, Func<InvocationCore, Context> createContext) =>
        _runtime = new FakeRuntime(options, key, kind, createContext);

    /// <summary>The object or workflow key; null for a plain service.</summary>
    public string? Key => _runtime.Key;

    /// <summary>The state now: the options' initial state with every handler's writes applied (serialized values).</summary>
    public IReadOnlyDictionary<string, byte[]> State => _runtime.State;

    /// <summary>The runs of all invocations so far, in journal order.</summary>
    public IReadOnlyList<FakeRun> Runs => _runtime.Runs;

    /// <summary>The request-response calls of all invocations so far, in journal order.</summary>
    public IReadOnlyList<FakeCall> Calls => _runtime.Calls;

    /// <summary>The one-way sends of all invocations so far (<c>ctx.Send</c>, generated send clients), in journal order.</summary>
    public IReadOnlyList<FakeCall> Sends => _runtime.Sends;

    /// <summary>The timers of all invocations so far, in journal order.</summary>
    public IReadOnlyList<FakeSleep> Sleeps => _runtime.Sleeps;

    /// <summary>The fake clock: <see cref="FakeContextOptions.Now"/>, moved forward by every completed sleep.</summary>
    public DateTimeOffset Now => _runtime.Now;

    /// <summary>
    /// Runs one invocation of <paramref name="handler"/> to its end on a real <typeparamref name="TContext"/> and returns
    /// its result. A <see cref="TerminalException"/> the invocation ends with is thrown as is; a retryable failure
    /// is retried up to <see cref="FakeContextOptions.MaxAttempts"/> attempts and then thrown.
    /// </summary>
    /// <typeparam name="T">The handler's result type.</typeparam>
    /// <param name="handler">Calls the handler with the context, e.g. <c>ctx => Counter.AddAsync(ctx, 5)</c>.</param>
    /// <exception cref="InvalidOperationException">
    /// The handler awaits something nothing will complete (an unscripted call, an unresolved promise, awakeable or
    /// signal; the message names it and how to script it), or its replay is not deterministic.
    /// </exception>
    public Task<T> InvokeAsync<T>(Func<TContext, Task<T>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return _runtime.InvokeAsync(context => handler((TContext)context));
    }

    /// <summary>Runs one invocation of a handler that returns nothing; see <see cref="InvokeAsync{T}(Func{TContext, Task{T}})"/>.</summary>
    /// <param name="handler">Calls the handler with the context.</param>
    public Task InvokeAsync(Func<TContext, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return _runtime.InvokeAsync(async context =>
        {
            await handler((TContext)context);
            return true;
        });
    }

    /// <summary>The state value of <paramref name="key"/> now, decoded with its serde; the type's default when absent, as <c>ctx.GetAsync</c> gives it.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="key">The state key.</param>
    /// <exception cref="InvalidOperationException">The key has no serde and none is known for <typeparamref name="T"/>.</exception>
    public T? GetState<T>(StateKey<T> key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _runtime.State.TryGetValue(key.Name, out var bytes)
            ? (key.Serde ?? _runtime.Serdes.Get<T>($"state '{key.Name}'")).Deserialize(bytes)
            : default;
    }
}

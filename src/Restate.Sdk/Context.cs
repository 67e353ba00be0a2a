using Microsoft.Extensions.Logging;
using Restate.Sdk.Diagnostics;
using Restate.Sdk.Driver;
using Restate.Sdk.Futures;

namespace Restate.Sdk;

/// <summary>
/// What a handler of a plain service can do durably: side effects (<see cref="RunAsync{T}(string, Func{CancellationToken, Task{T}}, RunOptions?)"/>), timers, calls and
/// sends, awakeables, deterministic randomness and time.
/// </summary>
/// <remarks>
/// Every method issues its command when called, so the journal records commands in call order. Use the context
/// only from the handler's own code: never inside a <see cref="RunAsync{T}(string, Func{CancellationToken, Task{T}}, RunOptions?)"/> closure, after
/// <c>ConfigureAwait(false)</c>, or from another thread (those uses throw <see cref="InvalidOperationException"/>).
/// </remarks>
public class Context
{
    private ReplayAwareLogger? _logger;

    internal Context(InvocationCore core) => Core = core;

    /// <summary>The invocation's id (<c>inv_…</c>), stable across retries and replays.</summary>
    public string InvocationId => Core.Input.InvocationId;

    /// <summary>The headers of the request that started the invocation (names case-insensitive).</summary>
    public IReadOnlyDictionary<string, string> Headers => Request.Headers;

    /// <summary>
    /// A logger (category <c>Restate.Handler.&lt;Service&gt;</c>, from the endpoint's logger factory) that is silent while
    /// the invocation replays its journal, so each line appears once however often the handler is re-run; every entry
    /// carries <c>restate.invocation.id</c> and <c>restate.invocation.target</c> as a scope.
    /// </summary>
    public ILogger Logger => _logger ??= new ReplayAwareLogger(Core);

    /// <summary>Random numbers and UUIDs that are the same on every replay.</summary>
    public RestateRandom Random => Core.Random;

    /// <summary>
    /// Cancelled when this attempt ends, however it ends: the handler returned or failed, the invocation suspended
    /// (nearly every await on Lambda), or the connection to the runtime was lost. Pass it to work that should stop with
    /// the attempt (an HTTP call inside a run gets the same token as its argument). A later attempt replays the journal,
    /// so stopping loses nothing that was journaled; see <see cref="AttemptEndedException"/>.
    /// </summary>
    public CancellationToken AttemptEnded => Core.AttemptEnded;

    /// <summary>The invocation this handler serves: target, headers, raw body, idempotency key, retry count.</summary>
    public InvocationRequest Request => Core.Request;

    internal InvocationCore Core { get; }

    /// <summary>
    /// Runs a side effect once and journals its result: on replay the journaled result is returned without running
    /// <paramref name="action"/> again. A <see cref="TerminalException"/> is journaled as the result; any other
    /// exception is retried per <paramref name="options"/> (by default forever, with the server's backoff).
    /// </summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="name">A name for the journal and observability.</param>
    /// <param name="action">The side effect; it gets a token cancelled when the attempt ends.</param>
    /// <param name="serde">How the result is journaled.</param>
    /// <param name="options">Retry policy.</param>
    /// <remarks>The closure starts when the returned future is first awaited (or combined and awaited).</remarks>
    public DurableFuture<T> RunAsync<T>(string name, Func<CancellationToken, Task<T>> action, Serde<T> serde, RunOptions? options = null) =>
        Core.Run(name, action, serde, options);

    /// <summary>
    /// Runs a side effect once and journals its result, serialized through the serde the endpoint finds for
    /// <typeparamref name="T"/> (built-in, or from a registered JSON context); see <see cref="RunAsync{T}(string, Func{CancellationToken, Task{T}}, Serde{T}, RunOptions?)"/>.
    /// </summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="name">A name for the journal and observability.</param>
    /// <param name="action">The side effect; it gets a token cancelled when the attempt ends.</param>
    /// <param name="options">Retry policy.</param>
    /// <exception cref="InvalidOperationException">No serde is known for <typeparamref name="T"/> (the message says how to register one).</exception>
    public DurableFuture<T> RunAsync<T>(string name, Func<CancellationToken, Task<T>> action, RunOptions? options = null) =>
        Core.Run(name, action, Core.Serdes.Get<T>($"the result of run '{name}'"), options);

    /// <summary>Runs a side effect without a result once; see <see cref="RunAsync{T}(string, Func{CancellationToken, Task{T}}, RunOptions?)"/>.</summary>
    /// <param name="name">A name for the journal and observability.</param>
    /// <param name="action">The side effect; it gets a token cancelled when the attempt ends.</param>
    /// <param name="options">Retry policy.</param>
    public DurableFuture RunAsync(string name, Func<CancellationToken, Task> action, RunOptions? options = null) =>
        Core.Run(name, async cancellation =>
        {
            await action(cancellation).ConfigureAwait(false);
            return Unit.Value;
        }, UnitSerde.Instance, options);

    /// <summary>A durable timer: the invocation may suspend and is resumed by the runtime when it fires.</summary>
    /// <param name="duration">How long to sleep.</param>
    /// <param name="name">A name for the journal.</param>
    public DurableFuture SleepAsync(TimeSpan duration, string? name = null) => Core.Sleep(duration, name ?? string.Empty);

    /// <summary>The current time, journaled: the same value on every replay.</summary>
    public DurableFuture<DateTimeOffset> NowAsync() =>
        Core.Run("now", _ => Task.FromResult(Core.Time.GetUtcNow()), Serde.Json(RestateJsonContext.Default.DateTimeOffset), null);

    /// <summary>Calls a handler and awaits its response durably.</summary>
    /// <typeparam name="TReq">Request type.</typeparam>
    /// <typeparam name="TRes">Response type.</typeparam>
    /// <param name="target">Service, handler and key.</param>
    /// <param name="request">The request.</param>
    /// <param name="requestSerde">How the request is encoded.</param>
    /// <param name="responseSerde">How the response is decoded.</param>
    /// <param name="options">Idempotency key and headers.</param>
    public CallFuture<TRes> CallAsync<TReq, TRes>(Target target, TReq request, Serde<TReq> requestSerde, Serde<TRes> responseSerde,
        CallOptions? options = null) =>
        Core.Call(target, request, requestSerde, responseSerde, options);

    /// <summary>Calls a handler and awaits its response durably; request and response serdes are found for their types.</summary>
    /// <typeparam name="TReq">Request type.</typeparam>
    /// <typeparam name="TRes">Response type.</typeparam>
    /// <param name="target">Service, handler and key.</param>
    /// <param name="request">The request.</param>
    /// <param name="options">Idempotency key and headers.</param>
    /// <exception cref="InvalidOperationException">No serde is known for one of the types.</exception>
    public CallFuture<TRes> CallAsync<TReq, TRes>(Target target, TReq request, CallOptions? options = null) =>
        Core.Call(target, request, Core.Serdes.Get<TReq>($"the request to {target}"), Core.Serdes.Get<TRes>($"the response of {target}"), options);

    /// <summary>Calls a handler that takes no input and awaits its response durably.</summary>
    /// <typeparam name="TRes">Response type.</typeparam>
    /// <param name="target">Service, handler and key.</param>
    /// <param name="responseSerde">How the response is decoded.</param>
    /// <param name="options">Idempotency key and headers.</param>
    public CallFuture<TRes> CallAsync<TRes>(Target target, Serde<TRes> responseSerde, CallOptions? options = null) =>
        Core.Call(target, Unit.Value, UnitSerde.Instance, responseSerde, options);

    /// <summary>Calls a handler that returns nothing and awaits its completion durably.</summary>
    /// <typeparam name="TReq">Request type.</typeparam>
    /// <param name="target">Service, handler and key.</param>
    /// <param name="request">The request.</param>
    /// <param name="requestSerde">How the request is encoded.</param>
    /// <param name="options">Idempotency key and headers.</param>
    public CallFuture CallAsync<TReq>(Target target, TReq request, Serde<TReq> requestSerde, CallOptions? options = null) =>
        new(Core.Call(target, request, requestSerde, UnitSerde.Instance, options));

    /// <summary>Calls a handler that takes no input and returns nothing, and awaits its completion durably.</summary>
    /// <param name="target">Service, handler and key.</param>
    /// <param name="options">Idempotency key and headers.</param>
    public CallFuture CallAsync(Target target, CallOptions? options = null) =>
        new(Core.Call(target, Unit.Value, UnitSerde.Instance, UnitSerde.Instance, options));

    /// <summary>Starts a handler without waiting for it, now or after a delay.</summary>
    /// <typeparam name="TReq">Request type.</typeparam>
    /// <param name="target">Service, handler and key.</param>
    /// <param name="request">The request.</param>
    /// <param name="requestSerde">How the request is encoded.</param>
    /// <param name="options">Delay, idempotency key and headers.</param>
    public InvocationHandle Send<TReq>(Target target, TReq request, Serde<TReq> requestSerde, SendOptions? options = null) =>
        Core.Send(target, request, requestSerde, options);

    /// <summary>Starts a handler without waiting for it, now or after a delay; the request's serde is found for its type.</summary>
    /// <typeparam name="TReq">Request type.</typeparam>
    /// <param name="target">Service, handler and key.</param>
    /// <param name="request">The request.</param>
    /// <param name="options">Delay, idempotency key and headers.</param>
    /// <exception cref="InvalidOperationException">No serde is known for <typeparamref name="TReq"/>.</exception>
    public InvocationHandle Send<TReq>(Target target, TReq request, SendOptions? options = null) =>
        Core.Send(target, request, Core.Serdes.Get<TReq>($"the request to {target}"), options);

    /// <summary>Starts a handler that takes no input without waiting for it, now or after a delay.</summary>
    /// <param name="target">Service, handler and key.</param>
    /// <param name="options">Delay, idempotency key and headers.</param>
    public InvocationHandle Send(Target target, SendOptions? options = null) =>
        Core.Send(target, Unit.Value, UnitSerde.Instance, options);

    /// <summary>A typed client of the plain service <typeparamref name="TClient"/> stands for (generated for <c>[Service]</c> classes).</summary>
    /// <typeparam name="TClient">The client, e.g. <c>TripsClient</c>.</typeparam>
    /// <remarks>Its methods call (<c>…Async</c>, a <see cref="CallFuture{T}"/>) or, through <c>Send(options)</c>, send to the handlers.</remarks>
    public TClient ServiceClient<TClient>()
        where TClient : IServiceClient<TClient> =>
        TClient.Create(this);

    /// <summary>A typed client of the virtual object <paramref name="key"/> (generated for <c>[VirtualObject]</c> classes).</summary>
    /// <typeparam name="TClient">The client, e.g. <c>FlightsClient</c>.</typeparam>
    /// <param name="key">The object key.</param>
    public TClient ObjectClient<TClient>(string key)
        where TClient : IObjectClient<TClient>
    {
        ArgumentNullException.ThrowIfNull(key);
        return TClient.Create(this, key);
    }

    /// <summary>A typed client of the workflow run <paramref name="key"/> (generated for <c>[Workflow]</c> classes).</summary>
    /// <typeparam name="TClient">The client, e.g. <c>SignupClient</c>.</typeparam>
    /// <param name="key">The workflow id.</param>
    public TClient WorkflowClient<TClient>(string key)
        where TClient : IWorkflowClient<TClient>
    {
        ArgumentNullException.ThrowIfNull(key);
        return TClient.Create(this, key);
    }

    /// <summary>Creates an awakeable: an id to hand out, and a future completed when someone resolves or rejects it.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="serde">How the value is decoded.</param>
    public Awakeable<T> Awakeable<T>(Serde<T> serde) => Core.Awakeable(serde);

    /// <summary>Creates an awakeable whose value's serde is found for <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <exception cref="InvalidOperationException">No serde is known for <typeparamref name="T"/>.</exception>
    public Awakeable<T> Awakeable<T>() => Core.Awakeable(Core.Serdes.Get<T>("an awakeable's value"));

    /// <summary>Completes an awakeable with a value.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="id">The awakeable id.</param>
    /// <param name="value">The value.</param>
    /// <param name="serde">How the value is encoded.</param>
    /// <exception cref="TerminalException">400: <paramref name="id"/> is not an awakeable id (restate-server could never complete it).</exception>
    public void ResolveAwakeable<T>(string id, T value, Serde<T> serde) => Core.CompleteAwakeable(id, InvocationCore.Success(value, serde));

    /// <summary>Completes an awakeable with a value, serialized through the serde found for <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="id">The awakeable id.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="InvalidOperationException">No serde is known for <typeparamref name="T"/>.</exception>
    /// <exception cref="TerminalException">400: <paramref name="id"/> is not an awakeable id.</exception>
    public void ResolveAwakeable<T>(string id, T value) => ResolveAwakeable(id, value, Core.Serdes.Get<T>("an awakeable's value"));

    /// <summary>Fails an awakeable: its awaiter gets a <see cref="TerminalException"/> with <paramref name="reason"/>.</summary>
    /// <param name="id">The awakeable id.</param>
    /// <param name="reason">The failure message.</param>
    /// <param name="code">The failure code.</param>
    /// <exception cref="TerminalException">400: <paramref name="id"/> is not an awakeable id.</exception>
    public void RejectAwakeable(string id, string reason, ushort code = TerminalException.DefaultCode) =>
        Core.CompleteAwakeable(id, InvocationCore.Rejection(reason, code));

    /// <summary>Awaits the named signal <paramref name="name"/> sent to this invocation.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="name">The signal name.</param>
    /// <param name="serde">How the value is decoded.</param>
    public DurableFuture<T> Signal<T>(string name, Serde<T> serde) => Core.Signal(name, serde);

    /// <summary>Awaits the named signal <paramref name="name"/>, reading its value through the serde found for <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="name">The signal name.</param>
    /// <exception cref="InvalidOperationException">No serde is known for <typeparamref name="T"/>.</exception>
    public DurableFuture<T> Signal<T>(string name) => Core.Signal(name, Core.Serdes.Get<T>($"signal '{name}'"));

    /// <summary>Sends the named signal <paramref name="name"/> with a value to another invocation.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="invocationId">The receiving invocation.</param>
    /// <param name="name">The signal name.</param>
    /// <param name="value">The value.</param>
    /// <param name="serde">How the value is encoded.</param>
    public void ResolveSignal<T>(string invocationId, string name, T value, Serde<T> serde) =>
        Core.CompleteSignal(invocationId, name, InvocationCore.Success(value, serde));

    /// <summary>Sends the named signal <paramref name="name"/> with a value, serialized through the serde found for <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="invocationId">The receiving invocation.</param>
    /// <param name="name">The signal name.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="InvalidOperationException">No serde is known for <typeparamref name="T"/>.</exception>
    public void ResolveSignal<T>(string invocationId, string name, T value) =>
        ResolveSignal(invocationId, name, value, Core.Serdes.Get<T>($"signal '{name}'"));

    /// <summary>Sends the named signal <paramref name="name"/> as a failure to another invocation.</summary>
    /// <param name="invocationId">The receiving invocation.</param>
    /// <param name="name">The signal name.</param>
    /// <param name="reason">The failure message.</param>
    public void RejectSignal(string invocationId, string name, string reason) =>
        Core.CompleteSignal(invocationId, name, InvocationCore.Rejection(reason));

    /// <summary>Cancels another invocation; it (and its own calls) end with a 409 cancellation.</summary>
    /// <param name="invocationId">The invocation to cancel.</param>
    public void CancelInvocation(string invocationId) => Core.CancelInvocation(invocationId);

    /// <summary>Waits for another invocation to finish and returns its output.</summary>
    /// <typeparam name="T">The output type.</typeparam>
    /// <param name="invocationId">The invocation.</param>
    /// <param name="serde">How the output is decoded.</param>
    public DurableFuture<T> AttachInvocation<T>(string invocationId, Serde<T> serde) =>
        Core.Attach(new Engine.InvocationTarget.ById(invocationId), serde);

    /// <summary>Waits for another invocation to finish and returns its output, read through the serde found for <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The output type.</typeparam>
    /// <param name="invocationId">The invocation.</param>
    /// <exception cref="InvalidOperationException">No serde is known for <typeparamref name="T"/>.</exception>
    public DurableFuture<T> AttachInvocation<T>(string invocationId) =>
        AttachInvocation(invocationId, Core.Serdes.Get<T>($"the output of {invocationId}"));

    /// <summary>Reads another invocation's output if it has finished, without waiting for it.</summary>
    /// <typeparam name="T">The output type.</typeparam>
    /// <param name="invocationId">The invocation.</param>
    /// <param name="serde">How the output is decoded.</param>
    public DurableFuture<InvocationOutput<T>> GetInvocationOutputAsync<T>(string invocationId, Serde<T> serde) =>
        Core.GetOutput(new Engine.InvocationTarget.ById(invocationId), serde);

    /// <summary>Reads another invocation's output if it has finished, through the serde found for <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The output type.</typeparam>
    /// <param name="invocationId">The invocation.</param>
    /// <exception cref="InvalidOperationException">No serde is known for <typeparamref name="T"/>.</exception>
    public DurableFuture<InvocationOutput<T>> GetInvocationOutputAsync<T>(string invocationId) =>
        GetInvocationOutputAsync(invocationId, Core.Serdes.Get<T>($"the output of {invocationId}"));

    private sealed class UnitSerde : Serde<Unit>
    {
        public static readonly UnitSerde Instance = new();

        public override string? ContentType => null;

        public override ReadOnlyMemory<byte> Serialize(Unit value) => ReadOnlyMemory<byte>.Empty;

        public override Unit Deserialize(ReadOnlyMemory<byte> bytes) => Unit.Value;
    }
}

/// <summary>A shared (read-only, concurrent) handler of a virtual object: the object's key and state reads.</summary>
public class SharedObjectContext : Context
{
    internal SharedObjectContext(InvocationCore core)
        : base(core)
    {
    }

    /// <summary>The object (or workflow) key.</summary>
    public string Key => Core.Input.Key;

    /// <summary>Reads state; absent keys give <c>default</c> (use a nullable type to tell them apart).</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="key">The state key.</param>
    public DurableFuture<T?> GetAsync<T>(StateKey<T> key) => Core.GetState(key);

    /// <summary>The names of all state entries, sorted.</summary>
    public DurableFuture<IReadOnlyList<string>> StateKeysAsync() => Core.GetStateKeys();
}

/// <summary>An exclusive handler of a virtual object: one at a time per key, with state writes.</summary>
public class ObjectContext : SharedObjectContext
{
    internal ObjectContext(InvocationCore core)
        : base(core)
    {
    }

    /// <summary>Writes state; visible to later handlers of this key once the invocation's journal is stored.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="key">The state key.</param>
    /// <param name="value">The value.</param>
    public void Set<T>(StateKey<T> key, T value) => Core.SetState(key, value);

    /// <summary>Removes one state entry.</summary>
    /// <param name="name">The state key name.</param>
    public void Clear(string name) => Core.ClearState(name);

    /// <summary>Removes every state entry of this object.</summary>
    public void ClearAll() => Core.ClearAllState();
}

/// <summary>A shared handler of a workflow: state reads and the workflow's durable promises.</summary>
public class SharedWorkflowContext : SharedObjectContext
{
    internal SharedWorkflowContext(InvocationCore core)
        : base(core)
    {
    }

    /// <summary>The durable promise <paramref name="name"/> of this workflow run.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="name">The promise name.</param>
    /// <param name="serde">How the value is encoded.</param>
    public DurablePromise<T> Promise<T>(string name, Serde<T> serde) => new(Core, name, serde);

    /// <summary>The workflow's durable promise <paramref name="name"/>, its value read and written through the serde found for <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="name">The promise name.</param>
    /// <exception cref="InvalidOperationException">No serde is known for <typeparamref name="T"/>.</exception>
    public DurablePromise<T> Promise<T>(string name) => new(Core, name, Core.Serdes.Get<T>($"promise '{name}'"));
}

/// <summary>The run handler of a workflow (runs once per workflow id): promises and state writes.</summary>
public class WorkflowContext : SharedWorkflowContext
{
    internal WorkflowContext(InvocationCore core)
        : base(core)
    {
    }

    /// <summary>Writes workflow state.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="key">The state key.</param>
    /// <param name="value">The value.</param>
    public void Set<T>(StateKey<T> key, T value) => Core.SetState(key, value);

    /// <summary>Removes one state entry.</summary>
    /// <param name="name">The state key name.</param>
    public void Clear(string name) => Core.ClearState(name);

    /// <summary>Removes every state entry of this workflow.</summary>
    public void ClearAll() => Core.ClearAllState();
}


using Restate.Sdk.Engine;
using Restate.Sdk.Futures;

namespace Restate.Sdk.Driver;

// The operations behind the public context types: each checks it runs on the scheduler, issues its command now
// (so journal order = call order) and returns a future over the result.
internal sealed partial class InvocationCore
{
    public DurableFuture<T> Run<T>(string name, Func<CancellationToken, Task<T>> action, Serde<T> serde, RunOptions? options)
    {
        EnsureUsable();
        ArgumentNullException.ThrowIfNull(action);
        var run = StateMachine.SysRun(name);
        if (!run.Replayed)
        {
            RegisterRun(run.Handle, async cancellation => serde.Serialize(await action(cancellation).ConfigureAwait(false)),
                options?.RetryPolicy ?? RetryPolicy.Infinite, name);
        }
        return new LeafFuture<T>(this, run.Handle, value => Deserialize(value, serde));
    }

    public CallFuture<TRes> Call<TReq, TRes>(Target target, TReq request, Serde<TReq> requestSerde, Serde<TRes> responseSerde,
        CallOptions? options)
    {
        EnsureUsable();
        options?.Validate(nameof(options));
        var handles = StateMachine.SysCall(new CallAddress(target.Service, target.Handler, target.Key), requestSerde.Serialize(request),
            options?.Headers?.ToArray(), options?.IdempotencyKey, string.Empty, options?.Scope, options?.LimitKey);
        var response = new LeafFuture<TRes>(this, handles.Result, value => Deserialize(value, responseSerde));
        return new CallFuture<TRes>(this, response, InvocationIdFuture(handles.InvocationId));
    }

    public InvocationHandle Send<TReq>(Target target, TReq request, Serde<TReq> requestSerde, SendOptions? options)
    {
        EnsureUsable();
        options?.Validate(nameof(options));
        var invokeTime = options?.Delay is { } delay && delay > TimeSpan.Zero ? Time.GetUtcNow() + delay : (DateTimeOffset?)null;
        var handle = StateMachine.SysSend(new CallAddress(target.Service, target.Handler, target.Key), requestSerde.Serialize(request),
            options?.Headers?.ToArray(), options?.IdempotencyKey, invokeTime, string.Empty, options?.Scope, options?.LimitKey);
        return new InvocationHandle(InvocationIdFuture(handle));
    }

    public Awakeable<T> Awakeable<T>(Serde<T> serde)
    {
        EnsureUsable();
        var (id, handle) = StateMachine.SysAwakeable();
        return new Awakeable<T>(id, new LeafFuture<T>(this, handle, value => Deserialize(value, serde)));
    }

    public void CompleteAwakeable(string id, NotificationValue value)
    {
        EnsureUsable();
        ArgumentNullException.ThrowIfNull(id);
        // Ids usually come from outside (a webhook, a message): a malformed one is the caller's mistake, and retrying
        // cannot fix it, so the handler fails terminally with a message that names it.
        if (!StateMachine.IsAwakeableId(id))
        {
            throw new TerminalException($"'{id}' is not an awakeable id: those are 'sign_1…' (or 'prom_1…') as Awakeable<T>.Id hands them out.", 400);
        }
        StateMachine.SysCompleteAwakeable(id, value);
    }

    public DurableFuture<T> Signal<T>(string name, Serde<T> serde)
    {
        EnsureUsable();
        return new LeafFuture<T>(this, StateMachine.CreateSignalHandle(name), value => Deserialize(value, serde));
    }

    public void CompleteSignal(string invocationId, string name, NotificationValue value)
    {
        EnsureUsable();
        StateMachine.SysCompleteSignal(invocationId, name, value);
    }

    public void CancelInvocation(string invocationId)
    {
        EnsureUsable();
        StateMachine.SysCancelInvocation(invocationId);
    }

    public DurableFuture<T> Attach<T>(InvocationTarget target, Serde<T> serde)
    {
        EnsureUsable();
        return new LeafFuture<T>(this, StateMachine.SysAttachInvocation(target), value => Deserialize(value, serde));
    }

    public DurableFuture<InvocationOutput<T>> GetOutput<T>(InvocationTarget target, Serde<T> serde)
    {
        EnsureUsable();
        return new LeafFuture<InvocationOutput<T>>(this, StateMachine.SysGetInvocationOutput(target), value => value is NotificationValue.Void
            ? new InvocationOutput<T>(false, default)
            : new InvocationOutput<T>(true, Deserialize(value, serde)));
    }

    public DurableFuture<T?> GetState<T>(StateKey<T> key)
    {
        EnsureUsable();
        var serde = SerdeOf(key);
        return new LeafFuture<T?>(this, StateMachine.SysStateGet(key.Name), value => value is NotificationValue.Void
            ? default
            : Deserialize(value, serde));
    }

    private Serde<T> SerdeOf<T>(StateKey<T> key) => key.Serde ?? Serdes.Get<T>($"state '{key.Name}'");

    public DurableFuture<IReadOnlyList<string>> GetStateKeys()
    {
        EnsureUsable();
        return new LeafFuture<IReadOnlyList<string>>(this, StateMachine.SysStateGetKeys(), static value => value switch
        {
            NotificationValue.StateKeys keys => keys.Keys,
            NotificationValue.Failure failure => throw ToException(failure.Error),
            _ => throw new InvalidOperationException($"Unexpected result for state keys: {value}."),
        });
    }

    public void SetState<T>(StateKey<T> key, T value)
    {
        EnsureUsable();
        StateMachine.SysStateSet(key.Name, SerdeOf(key).Serialize(value));
    }

    public void ClearState(string name)
    {
        EnsureUsable();
        StateMachine.SysStateClear(name);
    }

    public void ClearAllState()
    {
        EnsureUsable();
        StateMachine.SysStateClearAll();
    }

    public DurableFuture<T> GetPromise<T>(string name, Serde<T> serde)
    {
        EnsureUsable();
        return new LeafFuture<T>(this, StateMachine.SysGetPromise(name), value => Deserialize(value, serde));
    }

    public DurableFuture<PromiseState<T>> PeekPromise<T>(string name, Serde<T> serde)
    {
        EnsureUsable();
        return new LeafFuture<PromiseState<T>>(this, StateMachine.SysPeekPromise(name), value => value is NotificationValue.Void
            ? new PromiseState<T>(false, default)
            : new PromiseState<T>(true, Deserialize(value, serde)));
    }

    public DurableFuture CompletePromise(string name, NotificationValue value)
    {
        EnsureUsable();
        return new LeafFuture<Unit>(this, StateMachine.SysCompletePromise(name, value), static result => result switch
        {
            NotificationValue.Failure failure => throw ToException(failure.Error),
            _ => Unit.Value,
        });
    }

    private LeafFuture<string> InvocationIdFuture(NotificationHandle handle) => new(this, handle, static value => value switch
    {
        NotificationValue.InvocationId id => id.Id,
        NotificationValue.Failure failure => throw ToException(failure.Error),
        _ => throw new InvalidOperationException($"Unexpected result for an invocation id: {value}."),
    });

    private static T Deserialize<T>(NotificationValue value, Serde<T> serde) => value switch
    {
        NotificationValue.Success success => serde.Deserialize(success.Bytes),
        NotificationValue.Failure failure => throw ToException(failure.Error),
        NotificationValue.Void => serde.Deserialize(ReadOnlyMemory<byte>.Empty),
        _ => throw new InvalidOperationException($"Unexpected result {value} where a value was expected."),
    };

    internal static NotificationValue Rejection(string reason, ushort code = TerminalException.DefaultCode) =>
        new NotificationValue.Failure(new TerminalFailure(code, reason));

    internal static NotificationValue Success<T>(T value, Serde<T> serde) => new NotificationValue.Success(serde.Serialize(value));

    internal IReadOnlyDictionary<string, string> HeadersDictionary() =>
        Input.Headers.GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.OrdinalIgnoreCase);

}

using System.Text.Json.Serialization;

namespace Restate.Sdk.Testing;

/// <summary>
/// What the fake runtime behind a <see cref="FakeContext{TContext}"/> answers: the starting state, responses of the
/// handlers it calls, runs replaced or failed, awakeables, promises and signals resolved beforehand, the clock, the
/// random seed. Every method returns this object, so a setup reads as one chain.
/// </summary>
/// <remarks>
/// Values given here are serialized like the handler's own: through the built-in serdes, then the JSON contexts added
/// with <see cref="UseJsonContext"/> (add the one your services name in <c>[assembly: RestateSerializer]</c>).
/// </remarks>
public sealed class FakeContextOptions
{
    internal List<JsonSerializerContext> JsonContexts { get; } = [];

    internal List<Func<SerdeResolver, (string Key, byte[] Value)>> InitialState { get; } = [];

    internal List<CallScript> CallScripts { get; } = [];

    internal Dictionary<string, RunScript> RunScripts { get; } = new(StringComparer.Ordinal);

    internal List<Func<SerdeResolver, ScriptedResult>> Awakeables { get; } = [];

    internal Dictionary<string, Func<SerdeResolver, ScriptedResult>> Promises { get; } = new(StringComparer.Ordinal);

    internal Dictionary<string, Func<SerdeResolver, ScriptedResult>> Signals { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The fake clock's time when the first invocation starts (default 2026-01-01T00:00:00Z). <c>ctx.NowAsync()</c>
    /// reads it, timers and delayed sends are measured from it, and a completed sleep moves it to the sleep's wake-up time.
    /// </summary>
    public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The seed of <c>ctx.Random</c> (the runtime's <c>random_seed</c>), so random values are the same in every run of the test.</summary>
    public ulong RandomSeed { get; set; } = 1;

    /// <summary>The headers of the request that starts each invocation (<c>ctx.Headers</c>).</summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// How many attempts one invocation gets when it keeps failing with retryable errors (an exception that is not a
    /// <see cref="TerminalException"/>, from the handler or from a run whose retry policy asks for another attempt);
    /// the default is 10. restate-server would retry for as long as its retry policy says; the fake then stops and
    /// <c>InvokeAsync</c> throws the last failure.
    /// </summary>
    public int MaxAttempts
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 10;

    /// <summary>Adds a source-generated JSON context for the values handlers and this setup pass without a serde.</summary>
    /// <param name="context">E.g. <c>AppJson.Default</c>.</param>
    public FakeContextOptions UseJsonContext(JsonSerializerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        JsonContexts.Add(context);
        return this;
    }

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/> before the first invocation (through the key's serde, if it has one).</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="key">The state key.</param>
    /// <param name="value">The value.</param>
    public FakeContextOptions SetState<T>(StateKey<T> key, T value)
    {
        ArgumentNullException.ThrowIfNull(key);
        InitialState.Add(serdes => (key.Name, (key.Serde ?? serdes.Get<T>($"state '{key.Name}'")).Serialize(value).ToArray()));
        return this;
    }

    /// <summary>Stores <paramref name="value"/> under the state key <paramref name="name"/> before the first invocation.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="name">The state key name.</param>
    /// <param name="value">The value.</param>
    public FakeContextOptions SetState<T>(string name, T value) => SetState(new StateKey<T>(name), value);

    /// <summary>
    /// Answers calls to <paramref name="service"/>/<paramref name="handler"/> (for any key, or only
    /// <paramref name="key"/>) with what <paramref name="respond"/> makes of the request. A
    /// <see cref="TerminalException"/> thrown by <paramref name="respond"/> is the call's failure, as the callee's
    /// would be. The latest matching script wins; one for the exact key wins over one for any key.
    /// </summary>
    /// <typeparam name="TRequest">The request type, decoded with the serde found for it.</typeparam>
    /// <typeparam name="TResponse">The response type, encoded with the serde found for it.</typeparam>
    /// <param name="service">The called service, virtual object or workflow.</param>
    /// <param name="handler">The called handler.</param>
    /// <param name="respond">Makes the response of one call.</param>
    /// <param name="key">The object or workflow key to answer for; null for every key.</param>
    public FakeContextOptions RespondTo<TRequest, TResponse>(string service, string handler, Func<TRequest, TResponse> respond, string? key = null)
    {
        ArgumentNullException.ThrowIfNull(respond);
        AddCallScript(service, handler, key, (serdes, request) =>
        {
            var decoded = serdes.Get<TRequest>($"the request to {service}/{handler}").Deserialize(request);
            return serdes.Get<TResponse>($"the response of {service}/{handler}").Serialize(respond(decoded)).ToArray();
        });
        return this;
    }

    /// <summary>Answers every call to <paramref name="service"/>/<paramref name="handler"/> with <paramref name="response"/>; see <see cref="RespondTo{TRequest, TResponse}"/>.</summary>
    /// <typeparam name="TResponse">The response type, encoded with the serde found for it.</typeparam>
    /// <param name="service">The called service, virtual object or workflow.</param>
    /// <param name="handler">The called handler.</param>
    /// <param name="response">The response.</param>
    /// <param name="key">The object or workflow key to answer for; null for every key.</param>
    public FakeContextOptions RespondTo<TResponse>(string service, string handler, TResponse response, string? key = null)
    {
        AddCallScript(service, handler, key, (serdes, _) =>
            serdes.Get<TResponse>($"the response of {service}/{handler}").Serialize(response).ToArray());
        return this;
    }

    /// <summary>
    /// Completes calls to <paramref name="service"/>/<paramref name="handler"/>, a handler that returns nothing,
    /// without a value; see <see cref="RespondTo{TRequest, TResponse}"/> for the matching rules.
    /// </summary>
    /// <param name="service">The called service, virtual object or workflow.</param>
    /// <param name="handler">The called handler.</param>
    /// <param name="key">The object or workflow key to answer for; null for every key.</param>
    public FakeContextOptions CompleteCalls(string service, string handler, string? key = null)
    {
        AddCallScript(service, handler, key, static (_, _) => []);
        return this;
    }

    /// <summary>
    /// Does not execute the closure of the run named <paramref name="name"/>: the fake runtime journals
    /// <paramref name="result"/> as its result instead, as if the side effect had returned it.
    /// </summary>
    /// <typeparam name="T">The run's result type.</typeparam>
    /// <param name="name">The run's name, as passed to <c>ctx.RunAsync</c> (<c>"now"</c> for <c>ctx.NowAsync()</c>).</param>
    /// <param name="result">The result to journal.</param>
    public FakeContextOptions ReplaceRun<T>(string name, T result)
    {
        ArgumentNullException.ThrowIfNull(name);
        RunScripts[name] = new RunScript(serdes => serdes.Get<T>($"the result of run '{name}'").Serialize(result).ToArray(), null);
        return this;
    }

    /// <summary>
    /// Makes every execution of the run named <paramref name="name"/> throw <paramref name="exception"/> instead of
    /// executing its closure. What follows is the SDK's own handling: a <see cref="TerminalException"/> is journaled
    /// as the run's failure; any other exception is retried per the run's retry policy (each retry is a new attempt).
    /// </summary>
    /// <param name="name">The run's name, as passed to <c>ctx.RunAsync</c>.</param>
    /// <param name="exception">The failure.</param>
    public FakeContextOptions FailRun(string name, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(exception);
        RunScripts[name] = new RunScript(null, exception);
        return this;
    }

    /// <summary>Resolves the next awakeable an invocation creates (the first call scripts the first awakeable, and so on) with <paramref name="value"/>.</summary>
    /// <typeparam name="T">The awakeable's value type.</typeparam>
    /// <param name="value">The value.</param>
    public FakeContextOptions ResolveAwakeable<T>(T value)
    {
        Awakeables.Add(serdes => ScriptedResult.Of(serdes, value, "an awakeable's value"));
        return this;
    }

    /// <summary>Rejects the next awakeable an invocation creates: awaiting it throws a <see cref="TerminalException"/>.</summary>
    /// <param name="reason">The failure message.</param>
    /// <param name="code">The failure code.</param>
    public FakeContextOptions RejectAwakeable(string reason, ushort code = TerminalException.DefaultCode)
    {
        Awakeables.Add(_ => ScriptedResult.Failed(reason, code));
        return this;
    }

    /// <summary>Resolves the workflow's durable promise <paramref name="name"/> with <paramref name="value"/>, as another handler would.</summary>
    /// <typeparam name="T">The promise's value type.</typeparam>
    /// <param name="name">The promise name.</param>
    /// <param name="value">The value.</param>
    public FakeContextOptions ResolvePromise<T>(string name, T value)
    {
        ArgumentNullException.ThrowIfNull(name);
        Promises[name] = serdes => ScriptedResult.Of(serdes, value, $"promise '{name}'");
        return this;
    }

    /// <summary>Rejects the workflow's durable promise <paramref name="name"/>: awaiting it throws a <see cref="TerminalException"/>.</summary>
    /// <param name="name">The promise name.</param>
    /// <param name="reason">The failure message.</param>
    /// <param name="code">The failure code.</param>
    public FakeContextOptions RejectPromise(string name, string reason, ushort code = TerminalException.DefaultCode)
    {
        ArgumentNullException.ThrowIfNull(name);
        Promises[name] = _ => ScriptedResult.Failed(reason, code);
        return this;
    }

    /// <summary>Sends the named signal <paramref name="name"/> with <paramref name="value"/> to the invocation (<c>ctx.Signal</c>).</summary>
    /// <typeparam name="T">The signal's value type.</typeparam>
    /// <param name="name">The signal name.</param>
    /// <param name="value">The value.</param>
    public FakeContextOptions ResolveSignal<T>(string name, T value)
    {
        ArgumentNullException.ThrowIfNull(name);
        Signals[name] = serdes => ScriptedResult.Of(serdes, value, $"signal '{name}'");
        return this;
    }

    /// <summary>Sends the named signal <paramref name="name"/> as a failure: awaiting it throws a <see cref="TerminalException"/>.</summary>
    /// <param name="name">The signal name.</param>
    /// <param name="reason">The failure message.</param>
    public FakeContextOptions RejectSignal(string name, string reason)
    {
        ArgumentNullException.ThrowIfNull(name);
        Signals[name] = _ => ScriptedResult.Failed(reason, TerminalException.DefaultCode);
        return this;
    }

    private void AddCallScript(string service, string handler, string? key, Func<SerdeResolver, ReadOnlyMemory<byte>, byte[]> respond)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(handler);
        CallScripts.Add(new CallScript(service, handler, key, respond));
    }

    internal sealed record CallScript(string Service, string Handler, string? Key, Func<SerdeResolver, ReadOnlyMemory<byte>, byte[]> Respond);

    /// <summary>A run replaced by a result (<see cref="Result"/>) or failing with <see cref="Failure"/>.</summary>
    internal sealed record RunScript(Func<SerdeResolver, byte[]>? Result, Exception? Failure);
}

/// <summary>A value or a terminal failure, as a completion carries it.</summary>
internal sealed record ScriptedResult(byte[]? Value, TerminalException? Failure)
{
    public static ScriptedResult Of<T>(SerdeResolver serdes, T value, string purpose) =>
        new(serdes.Get<T>(purpose).Serialize(value).ToArray(), null);

    public static ScriptedResult Failed(string reason, ushort code) => new(null, new TerminalException(reason, code));
}

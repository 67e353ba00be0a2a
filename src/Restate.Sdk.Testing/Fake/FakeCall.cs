namespace Restate.Sdk.Testing;

/// <summary>A call or send the handler made through a <see cref="FakeContext{TContext}"/>, as journaled.</summary>
public sealed class FakeCall
{
    private readonly SerdeResolver _serdes;

    internal FakeCall(SerdeResolver serdes, string service, string handler, string? key, byte[] request,
        IReadOnlyDictionary<string, string> headers, string? idempotencyKey, TimeSpan? delay)
    {
        _serdes = serdes;
        Service = service;
        Handler = handler;
        Key = key;
        RequestBytes = request;
        Headers = headers;
        IdempotencyKey = idempotencyKey;
        Delay = delay;
    }

    /// <summary>The called service, virtual object or workflow.</summary>
    public string Service { get; }

    /// <summary>The called handler.</summary>
    public string Handler { get; }

    /// <summary>The object or workflow key; null for a plain service.</summary>
    public string? Key { get; }

    /// <summary>The request as sent (serialized by the caller's serde; empty when the handler takes no input).</summary>
    public ReadOnlyMemory<byte> RequestBytes { get; }

    /// <summary>The headers passed in <see cref="CallOptions"/> or <see cref="SendOptions"/>.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The idempotency key, if one was given.</summary>
    public string? IdempotencyKey { get; }

    /// <summary>For a send with <see cref="SendOptions.Delay"/>: how long after the fake clock's time it would run; otherwise null.</summary>
    public TimeSpan? Delay { get; }

    /// <summary>The target as Restate writes it: <c>Service/handler</c> or <c>Service/key/handler</c>.</summary>
    public string Target => Key is null ? $"{Service}/{Handler}" : $"{Service}/{Key}/{Handler}";

    /// <summary>The request decoded with the serde found for <typeparamref name="T"/> (built-ins, then the options' JSON contexts).</summary>
    /// <typeparam name="T">The request type.</typeparam>
    /// <exception cref="InvalidOperationException">No serde is known for <typeparamref name="T"/>.</exception>
    public T Request<T>() => _serdes.Get<T>($"the request to {Target}").Deserialize(RequestBytes);

    /// <inheritdoc/>
    public override string ToString() => Delay is { } delay ? $"{Target} (after {delay})" : Target;
}

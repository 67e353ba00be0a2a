namespace Restate.Sdk.Testing;

/// <summary>A <c>ctx.RunAsync</c> (or <c>ctx.NowAsync</c>, a run named <c>now</c>) of a handler run on a <see cref="FakeContext{TContext}"/>.</summary>
public sealed class FakeRun
{
    private readonly SerdeResolver _serdes;

    internal FakeRun(SerdeResolver serdes, string name)
    {
        _serdes = serdes;
        Name = name;
    }

    /// <summary>The run's name.</summary>
    public string Name { get; }

    /// <summary>
    /// How often the closure was executed, retries included (a scripted failure counts as an execution); 0 when
    /// <see cref="FakeContextOptions.ReplaceRun{T}"/> replaced it. A replayed run is not executed again.
    /// </summary>
    public int Executions { get; internal set; }

    /// <summary>The journaled result (serialized), or null when the run failed or has no journaled result.</summary>
    public ReadOnlyMemory<byte>? ResultBytes { get; internal set; }

    /// <summary>The journaled terminal failure, or null.</summary>
    public TerminalException? Failure { get; internal set; }

    /// <summary>The journaled result decoded with the serde found for <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The run's result type.</typeparam>
    /// <exception cref="InvalidOperationException">The run has no journaled result, or no serde is known for <typeparamref name="T"/>.</exception>
    public T Result<T>() => ResultBytes is { } bytes
        ? _serdes.Get<T>($"the result of run '{Name}'").Deserialize(bytes)
        : throw new InvalidOperationException($"Run '{Name}' has no journaled result{(Failure is { } failure ? $": it failed with {failure.Code} {failure.Message}" : ".")}");

    /// <inheritdoc/>
    public override string ToString() => $"run '{Name}' ({Executions} execution(s))";
}

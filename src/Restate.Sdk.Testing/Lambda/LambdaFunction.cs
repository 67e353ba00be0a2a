namespace Restate.Sdk.Testing.Lambda;

/// <summary>
/// A function registered with <see cref="LambdaEmulator.AddFunction(LambdaFunctionDefinition)"/>: its counters, its
/// running instances and its output (the "CloudWatch log"). All members are thread-safe snapshots.
/// </summary>
public sealed class LambdaFunction
{
    private readonly LogBuffer _log;
    private readonly Action<string>? _sink;
    private int _invocationCount;
    private int _coldStartCount;

    internal LambdaFunction(
        LambdaFunctionDefinition definition,
        IReadOnlyList<string> arns,
        Lock gate,
        int logCapacity,
        Action<string>? sink)
    {
        Definition = definition;
        Gate = gate;
        Arns = arns;
        _log = new LogBuffer(logCapacity);
        _sink = sink;
    }

    /// <summary>The definition it was registered with.</summary>
    public LambdaFunctionDefinition Definition { get; }

    /// <summary>The function name.</summary>
    public string Name => Definition.Name;

    /// <summary>The qualified ARN of <see cref="LambdaFunctionDefinition.Version"/>.</summary>
    public string QualifiedArn => Arns[0];

    /// <summary>Every qualified ARN that invokes this function.</summary>
    public IReadOnlyList<string> Arns { get; }

    /// <summary>Invocations received since registration (or <see cref="LambdaEmulator.ResetCounters"/>), finished or
    /// not, failed or not.</summary>
    public int InvocationCount => Volatile.Read(ref _invocationCount);

    /// <summary>Processes started for invocations since registration (or <see cref="LambdaEmulator.ResetCounters"/>).
    /// </summary>
    public int ColdStartCount => Volatile.Read(ref _coldStartCount);

    /// <summary>PIDs of the instances that are alive now (started and not discarded), in start order.</summary>
    public IReadOnlyList<int> ProcessIds
    {
        get
        {
            lock (Gate)
            {
                return [.. Instances.Where(i => !i.Dead && i.ProcessId != 0).Select(i => i.ProcessId)];
            }
        }
    }

    /// <summary>
    /// The last lines (<see cref="LambdaEmulatorOptions.RecentLogCapacity"/>) written by the function's processes to
    /// stdout and stderr, oldest first, each prefixed with <c>[#instance]</c>, together with Lambda's
    /// <c>START</c>/<c>END</c>/<c>REPORT</c> lines.
    /// </summary>
    public IReadOnlyList<string> RecentLog => _log.Snapshot();

    // Instances not yet retired; guarded by Gate (the emulator's lock).
    internal List<FunctionInstance> Instances { get; } = [];

    // The emulator's lock, which guards all instance and invocation state.
    internal Lock Gate { get; }

    internal void CountInvocation(bool coldStart)
    {
        Interlocked.Increment(ref _invocationCount);
        if (coldStart)
        {
            Interlocked.Increment(ref _coldStartCount);
        }
    }

    internal void ResetCounters()
    {
        Volatile.Write(ref _invocationCount, 0);
        Volatile.Write(ref _coldStartCount, 0);
    }

    internal void WriteLog(int instanceId, string line)
    {
        _log.Add($"[#{instanceId}] {line}");
        if (_sink is { } sink)
        {
            try
            {
                sink($"[{Name}#{instanceId}] {line}");
            }
#pragma warning disable CA1031 // A throwing callback (e.g. xunit's output helper after the test ended) must not break the emulator.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }
}

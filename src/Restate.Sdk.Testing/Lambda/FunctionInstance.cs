using System.Diagnostics;

namespace Restate.Sdk.Testing.Lambda;

/// <summary>
/// One execution environment of a function: a process and its private Runtime API listener. Mutable fields are
/// guarded by the emulator's lock (<see cref="LambdaFunction.Gate"/>).
/// </summary>
internal sealed class FunctionInstance(int id, LambdaFunction function)
{
    public int Id { get; } = id;

    public LambdaFunction Function { get; } = function;

    /// <summary>Measures the init phase (process start to the first <c>/next</c>).</summary>
    public Stopwatch Age { get; } = Stopwatch.StartNew();

    public Process? Process { get; set; }

    public int ProcessId { get; set; }

    public IDisposable? KillOnExit { get; set; }

    public LoopbackHttpServer? Runtime { get; set; }

    /// <summary>Completed when the launch finished, successfully or not; retiring waits for it.</summary>
    public TaskCompletionSource Launched { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The runtime has asked for its first event: the init phase is over.</summary>
    public bool Initialized { get; set; }

    public TimeSpan? InitDuration { get; set; }

    /// <summary>Takes no more invocations; is being (or has been) discarded.</summary>
    public bool Dead { get; set; }

    /// <summary>The invocation assigned to this instance, delivered to the runtime or waiting for its <c>/next</c>.
    /// </summary>
    public PendingInvocation? Current { get; set; }

    /// <summary>A <c>GET /next</c> waiting for an event; completed with null when the instance is discarded.</summary>
    public TaskCompletionSource<PendingInvocation?>? ParkedNext { get; set; }

    public CancellationTokenSource? InitTimer { get; set; }

    public Task? Retirement { get; set; }
}

/// <summary>An invocation from its Invoke request until its outcome.</summary>
internal sealed class PendingInvocation(string requestId, LambdaFunction function, string arn, byte[] payload)
{
    public string RequestId { get; } = requestId;

    public LambdaFunction Function { get; } = function;

    public string Arn { get; } = arn;

    public byte[] Payload { get; } = payload;

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public Stopwatch Elapsed { get; } = Stopwatch.StartNew();

    public bool ColdStart { get; set; }

    public FunctionInstance? Instance { get; set; }

    /// <summary>The runtime has received the event (the invoke phase and its timeout have started).</summary>
    public bool Delivered { get; set; }

    public Stopwatch? Running { get; set; }

    public long DeadlineMs { get; set; }

    public string TraceId { get; set; } = "";

    public CancellationTokenSource? Timer { get; set; }

    public TaskCompletionSource<InvocationOutcome> Outcome { get; } =
        new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>What the Invoke API answers: the status and the body (result or error JSON).</summary>
internal sealed record InvocationOutcome(LambdaInvocationStatus Status, byte[] Body);

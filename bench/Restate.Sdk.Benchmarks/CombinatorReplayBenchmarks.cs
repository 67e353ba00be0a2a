using BenchmarkDotNet.Attributes;
using Restate.Sdk.Engine;
using Restate.Sdk.Protocol;

namespace Restate.Sdk.Benchmarks;

/// <summary>
/// Replaying a handler that starts all its runs and then awaits them with one all-of combinator
/// (<c>DurableFuture.All</c>, <see cref="CombinatorKind.AllSucceededOrFirstFailed"/>): the same journal as
/// <see cref="FanOutReplayBenchmarks"/> (Start, Input, Runs × RunCommand, then the Runs completions in reverse order).
/// <see cref="AwaitAll"/> is a whole attempt: Runs × <c>SysRun</c>, one <c>DoProgress</c> over the all-of (which
/// promotes all Runs queued completions, one at a time, re-deciding the combinator after each), then every result
/// taken in child order, then output and End.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(QuickConfig))]
public class CombinatorReplayBenchmarks
{
    private const string RunName = Journal.FanOutRunName;
    private const int ProtocolVersion = 6;

    private static readonly byte[] Output = "{\"booked\":true}"u8.ToArray();

    private byte[] _body = [];

    [Params(500, 2000)]
    public int Runs { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _body = Journal.FanOut(Runs);
        Verify();
    }

    [Benchmark]
    public int AwaitAll()
    {
        var stateMachine = new InvocationStateMachine(ProtocolVersion);
        stateMachine.NotifyInput(_body);
        stateMachine.NotifyInputClosed();
        if (!stateMachine.IsReadyToExecute())
        {
            return -1;
        }
        var total = stateMachine.SysInput().Body.Length;
        var handles = new NotificationHandle[Runs];
        var children = new UnresolvedFuture[Runs];
        for (var i = 0; i < handles.Length; i++)
        {
            handles[i] = stateMachine.SysRun(RunName).Handle;
            children[i] = new UnresolvedFuture.Single(handles[i]);
        }
        if (stateMachine.DoProgress(new UnresolvedFuture.Combinator(CombinatorKind.AllSucceededOrFirstFailed, children)) is not AwaitResponse.AnyCompleted)
        {
            return -1;
        }
        foreach (var handle in handles)
        {
            if (stateMachine.TakeNotification(handle) is NotificationValue.Success success)
            {
                total += success.Bytes.Length;
            }
        }
        stateMachine.SysWriteOutput(new NotificationValue.Success(Output));
        stateMachine.SysEnd();
        return total + stateMachine.TakeOutput().Length;
    }

    /// <summary>The same attempt once, checked step by step, so the benchmark cannot time a broken path.</summary>
    private void Verify()
    {
        var stateMachine = new InvocationStateMachine(ProtocolVersion);
        stateMachine.NotifyInput(_body);
        stateMachine.NotifyInputClosed();
        if (!stateMachine.IsReadyToExecute() || stateMachine.State != StateMachineState.Replaying)
        {
            throw new InvalidOperationException($"The state machine is not ready to replay (state {stateMachine.State}, failure {stateMachine.Failure?.Message}).");
        }
        stateMachine.SysInput();
        var handles = new NotificationHandle[Runs];
        var children = new UnresolvedFuture[Runs];
        for (var i = 0; i < Runs; i++)
        {
            var run = stateMachine.SysRun(RunName);
            if (!run.Replayed)
            {
                throw new InvalidOperationException($"Run {i + 1} was not replayed although its completion is in the journal.");
            }
            handles[i] = run.Handle;
            children[i] = new UnresolvedFuture.Single(run.Handle);
        }
        if (stateMachine.State != StateMachineState.Processing)
        {
            throw new InvalidOperationException($"The state machine is {stateMachine.State} after the last replayed RunCommand, not Processing.");
        }
        var all = new UnresolvedFuture.Combinator(CombinatorKind.AllSucceededOrFirstFailed, children);
        if (stateMachine.DoProgress(all) is not AwaitResponse.AnyCompleted)
        {
            throw new InvalidOperationException("The all-of over the replayed runs did not complete from the journal.");
        }
        for (var i = 0; i < Runs; i++)
        {
            if (stateMachine.TakeNotification(handles[i]) is not NotificationValue.Success success
                || !success.Bytes.Span.SequenceEqual(Journal.FanOutValue((uint)(i + 1))))
            {
                throw new InvalidOperationException($"Run {i + 1} did not return its own journaled value.");
            }
        }
        stateMachine.SysWriteOutput(new NotificationValue.Success(Output));
        stateMachine.SysEnd();
        var frames = Journal.FrameTypes(stateMachine.TakeOutput().Span);
        if (frames is not [MessageType.OutputCommand, MessageType.End])
        {
            throw new InvalidOperationException($"The attempt wrote [{string.Join(", ", frames)}], not [OutputCommand, End].");
        }
        if (AwaitAll() <= 0)
        {
            throw new InvalidOperationException("The benchmark body did not complete the attempt.");
        }
    }
}

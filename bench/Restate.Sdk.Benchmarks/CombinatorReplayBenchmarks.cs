using BenchmarkDotNet.Attributes;
using Restate.Sdk.Engine;

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
public class CombinatorReplayBenchmarks : FanOutBenchmark
{
    private byte[] _body = [];

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
        return total + Finish(stateMachine).Length;
    }

    /// <summary>The same attempt once, checked step by step, so the benchmark cannot time a broken path.</summary>
    private void Verify()
    {
        var stateMachine = new InvocationStateMachine(ProtocolVersion);
        var handles = ReplayRunsChecked(stateMachine, _body);
        var all = new UnresolvedFuture.Combinator(CombinatorKind.AllSucceededOrFirstFailed,
            [.. handles.Select(handle => new UnresolvedFuture.Single(handle))]);
        if (stateMachine.DoProgress(all) is not AwaitResponse.AnyCompleted)
        {
            throw new InvalidOperationException("The all-of over the replayed runs did not complete from the journal.");
        }
        for (var i = 0; i < Runs; i++)
        {
            CheckOwnJournaledValue(stateMachine, handles[i], i);
        }
        FinishCheckedAfterReplay(stateMachine);
        CheckBodyCompletes(AwaitAll());
    }
}

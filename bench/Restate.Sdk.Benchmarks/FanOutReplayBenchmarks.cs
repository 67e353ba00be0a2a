using BenchmarkDotNet.Attributes;
using Restate.Sdk.Engine;

namespace Restate.Sdk.Benchmarks;

/// <summary>
/// Replaying a handler that starts all its runs before it awaits any (the <c>Task.WhenAll</c> shape): Start
/// (known_entries = 1 + 2 × Runs), Input, Runs × RunCommand, then the Runs completions in reverse order (the last run
/// finished first). <see cref="Replay"/> is a whole attempt: Runs × <c>SysRun</c>, then each run awaited and taken in
/// the order it was started, then output and End. Every <c>SysRun</c> asks whether its result is among the queued
/// notifications, so this case shows how that check scales with the number of queued notifications.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(QuickConfig))]
public class FanOutReplayBenchmarks : FanOutBenchmark
{
    private byte[] _body = [];
    private NotificationHandle[] _handles = [];

    [GlobalSetup]
    public void Setup()
    {
        _body = Journal.FanOut(Runs);
        _handles = new NotificationHandle[Runs];
        Verify();
    }

    [Benchmark]
    public int Replay()
    {
        var stateMachine = new InvocationStateMachine(ProtocolVersion);
        stateMachine.NotifyInput(_body);
        stateMachine.NotifyInputClosed();
        if (!stateMachine.IsReadyToExecute())
        {
            return -1;
        }
        var total = stateMachine.SysInput().Body.Length;
        for (var i = 0; i < _handles.Length; i++)
        {
            _handles[i] = stateMachine.SysRun(RunName).Handle;
        }
        foreach (var handle in _handles)
        {
            stateMachine.DoProgress(new UnresolvedFuture.Single(handle));
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
        for (var i = 0; i < Runs; i++)
        {
            if (stateMachine.DoProgress(new UnresolvedFuture.Single(handles[i])) is not AwaitResponse.AnyCompleted)
            {
                throw new InvalidOperationException($"Run {i + 1} did not complete from the journal.");
            }
            CheckOwnJournaledValue(stateMachine, handles[i], i);
        }
        FinishCheckedAfterReplay(stateMachine);
        CheckBodyCompletes(Replay());
    }
}

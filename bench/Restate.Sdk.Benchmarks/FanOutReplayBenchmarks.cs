using BenchmarkDotNet.Attributes;
using Restate.Sdk.Engine;
using Restate.Sdk.Protocol;

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
public class FanOutReplayBenchmarks
{
    private const string RunName = Journal.FanOutRunName;
    private const int ProtocolVersion = 6;

    private static readonly byte[] Output = "{\"booked\":true}"u8.ToArray();

    private byte[] _body = [];
    private NotificationHandle[] _handles = [];

    [Params(500, 2000)]
    public int Runs { get; set; }

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
        for (var i = 0; i < Runs; i++)
        {
            var run = stateMachine.SysRun(RunName);
            if (!run.Replayed)
            {
                throw new InvalidOperationException($"Run {i + 1} was not replayed although its completion is in the journal.");
            }
            handles[i] = run.Handle;
        }
        if (stateMachine.State != StateMachineState.Processing)
        {
            throw new InvalidOperationException($"The state machine is {stateMachine.State} after the last replayed RunCommand, not Processing.");
        }
        for (var i = 0; i < Runs; i++)
        {
            if (stateMachine.DoProgress(new UnresolvedFuture.Single(handles[i])) is not AwaitResponse.AnyCompleted)
            {
                throw new InvalidOperationException($"Run {i + 1} did not complete from the journal.");
            }
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
        if (Replay() <= 0)
        {
            throw new InvalidOperationException("The benchmark body did not complete the attempt.");
        }
    }
}

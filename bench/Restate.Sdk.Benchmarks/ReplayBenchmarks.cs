using BenchmarkDotNet.Attributes;
using Restate.Sdk.Engine;
using Restate.Sdk.Protocol;

namespace Restate.Sdk.Benchmarks;

/// <summary>
/// Replaying a 1,000-entry journal: Start (known_entries = 1 + 2 × 500), Input, then 500 × (RunCommand +
/// RunCompletionNotification). <see cref="Replay"/> is a whole attempt as the handler drives it; <see cref="FeedJournal"/>
/// is only the input side (decode, parse, queue) of the same attempt, so the difference is the syscall side.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(QuickConfig))]
public class ReplayBenchmarks
{
    private const int Runs = 500;
    private const string RunName = "charge-card";
    private const int ProtocolVersion = 6;

    private static readonly byte[] Output = "{\"booked\":true}"u8.ToArray();

    private byte[] _body = [];

    [GlobalSetup]
    public void Setup()
    {
        var journal = new Journal()
            .Add(MessageType.Start, Journal.Start(1 + (2 * Runs)))
            .Add(MessageType.InputCommand, Journal.Input("{\"guest\":\"Ada\"}"));
        for (var i = 1u; i <= Runs; i++)
        {
            journal.Add(MessageType.RunCommand, Journal.Run(i, RunName));
            journal.Add(MessageType.RunCompletionNotification, Journal.RunCompletion(i, Value(i)));
        }
        _body = journal.ToArray();
        Verify();
    }

    [Benchmark]
    public bool FeedJournal()
    {
        var stateMachine = new InvocationStateMachine(ProtocolVersion);
        stateMachine.NotifyInput(_body);
        stateMachine.NotifyInputClosed();
        return stateMachine.IsReadyToExecute();
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
        var input = stateMachine.SysInput();
        var total = input.Body.Length;
        for (var i = 0; i < Runs; i++)
        {
            var run = stateMachine.SysRun(RunName);
            stateMachine.DoProgress(new UnresolvedFuture.Single(run.Handle));
            if (stateMachine.TakeNotification(run.Handle) is NotificationValue.Success success)
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
        for (var i = 1u; i <= Runs; i++)
        {
            var run = stateMachine.SysRun(RunName);
            if (!run.Replayed)
            {
                throw new InvalidOperationException($"Run {i} was not replayed.");
            }
            if (stateMachine.DoProgress(new UnresolvedFuture.Single(run.Handle)) is not AwaitResponse.AnyCompleted)
            {
                throw new InvalidOperationException($"Run {i} did not complete from the journal.");
            }
            if (stateMachine.TakeNotification(run.Handle) is not NotificationValue.Success success
                || !success.Bytes.Span.SequenceEqual(Value(i)))
            {
                throw new InvalidOperationException($"Run {i} did not return its journaled value.");
            }
        }
        if (stateMachine.State != StateMachineState.Processing)
        {
            throw new InvalidOperationException($"The state machine is {stateMachine.State} after the last replayed run, not Processing.");
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

    private static byte[] Value(uint i) => System.Text.Encoding.UTF8.GetBytes($"{{\"receipt\":\"r-{i:D5}\"}}");
}

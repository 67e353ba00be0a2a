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
        var vm = new InvocationStateMachine(ProtocolVersion);
        vm.NotifyInput(_body);
        vm.NotifyInputClosed();
        return vm.IsReadyToExecute();
    }

    [Benchmark]
    public int Replay()
    {
        var vm = new InvocationStateMachine(ProtocolVersion);
        vm.NotifyInput(_body);
        vm.NotifyInputClosed();
        if (!vm.IsReadyToExecute())
        {
            return -1;
        }
        var input = vm.SysInput();
        var total = input.Body.Length;
        for (var i = 0; i < Runs; i++)
        {
            var run = vm.SysRun(RunName);
            vm.DoProgress(new UnresolvedFuture.Single(run.Handle));
            if (vm.TakeNotification(run.Handle) is NotificationValue.Success success)
            {
                total += success.Bytes.Length;
            }
        }
        vm.SysWriteOutput(new NotificationValue.Success(Output));
        vm.SysEnd();
        return total + vm.TakeOutput().Length;
    }

    /// <summary>The same attempt once, checked step by step, so the benchmark cannot time a broken path.</summary>
    private void Verify()
    {
        var vm = new InvocationStateMachine(ProtocolVersion);
        vm.NotifyInput(_body);
        vm.NotifyInputClosed();
        if (!vm.IsReadyToExecute() || vm.State != VmState.Replaying)
        {
            throw new InvalidOperationException($"The VM is not ready to replay (state {vm.State}, failure {vm.Failure?.Message}).");
        }
        vm.SysInput();
        for (var i = 1u; i <= Runs; i++)
        {
            var run = vm.SysRun(RunName);
            if (!run.Replayed)
            {
                throw new InvalidOperationException($"Run {i} was not replayed.");
            }
            if (vm.DoProgress(new UnresolvedFuture.Single(run.Handle)) is not AwaitResponse.AnyCompleted)
            {
                throw new InvalidOperationException($"Run {i} did not complete from the journal.");
            }
            if (vm.TakeNotification(run.Handle) is not NotificationValue.Success success
                || !success.Bytes.Span.SequenceEqual(Value(i)))
            {
                throw new InvalidOperationException($"Run {i} did not return its journaled value.");
            }
        }
        if (vm.State != VmState.Processing)
        {
            throw new InvalidOperationException($"The VM is {vm.State} after the last replayed run, not Processing.");
        }
        vm.SysWriteOutput(new NotificationValue.Success(Output));
        vm.SysEnd();
        var frames = Journal.FrameTypes(vm.TakeOutput().Span);
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

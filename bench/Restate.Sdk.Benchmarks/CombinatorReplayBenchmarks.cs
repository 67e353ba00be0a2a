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
        var vm = new InvocationStateMachine(ProtocolVersion);
        vm.NotifyInput(_body);
        vm.NotifyInputClosed();
        if (!vm.IsReadyToExecute())
        {
            return -1;
        }
        var total = vm.SysInput().Body.Length;
        var handles = new NotificationHandle[Runs];
        var children = new UnresolvedFuture[Runs];
        for (var i = 0; i < handles.Length; i++)
        {
            handles[i] = vm.SysRun(RunName).Handle;
            children[i] = new UnresolvedFuture.Single(handles[i]);
        }
        if (vm.DoProgress(new UnresolvedFuture.Combinator(CombinatorKind.AllSucceededOrFirstFailed, children)) is not AwaitResponse.AnyCompleted)
        {
            return -1;
        }
        foreach (var handle in handles)
        {
            if (vm.TakeNotification(handle) is NotificationValue.Success success)
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
        var handles = new NotificationHandle[Runs];
        var children = new UnresolvedFuture[Runs];
        for (var i = 0; i < Runs; i++)
        {
            var run = vm.SysRun(RunName);
            if (!run.Replayed)
            {
                throw new InvalidOperationException($"Run {i + 1} was not replayed although its completion is in the journal.");
            }
            handles[i] = run.Handle;
            children[i] = new UnresolvedFuture.Single(run.Handle);
        }
        if (vm.State != VmState.Processing)
        {
            throw new InvalidOperationException($"The VM is {vm.State} after the last replayed RunCommand, not Processing.");
        }
        var all = new UnresolvedFuture.Combinator(CombinatorKind.AllSucceededOrFirstFailed, children);
        if (vm.DoProgress(all) is not AwaitResponse.AnyCompleted)
        {
            throw new InvalidOperationException("The all-of over the replayed runs did not complete from the journal.");
        }
        for (var i = 0; i < Runs; i++)
        {
            if (vm.TakeNotification(handles[i]) is not NotificationValue.Success success
                || !success.Bytes.Span.SequenceEqual(Journal.FanOutValue((uint)(i + 1))))
            {
                throw new InvalidOperationException($"Run {i + 1} did not return its own journaled value.");
            }
        }
        vm.SysWriteOutput(new NotificationValue.Success(Output));
        vm.SysEnd();
        var frames = Journal.FrameTypes(vm.TakeOutput().Span);
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

using BenchmarkDotNet.Attributes;
using Restate.Sdk.Engine;
using Restate.Sdk.Protocol;

namespace Restate.Sdk.Benchmarks;

/// <summary>
/// Executing (not replaying) a handler that starts <see cref="Runs"/> runs and awaits them with one all-of combinator
/// (<c>DurableFuture.All</c>), in bidi mode with nothing journaled but Start and Input. <see cref="ExecuteAll"/> is a
/// whole attempt, driven the way <c>InvocationCore</c> drives it, with the same awaited tree on every call: Runs ×
/// <c>SysRun</c>, <c>DoProgress</c> until it has asked for every run (Runs × ExecuteRun, then waiting), then per run
/// in start order <c>ProposeRunCompletion</c>, the runtime's RunCompletionNotification as input and one
/// <c>DoProgress</c> (waiting until the last one completes the all-of), then every result taken, output and End.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(QuickConfig))]
public class FanOutExecuteBenchmarks : FanOutBenchmark
{
    private byte[] _start = [];
    private byte[][] _completions = [];
    private ReadOnlyMemory<byte>[] _values = [];

    [GlobalSetup]
    public void Setup()
    {
        _start = Journal.FirstAttempt("{\"guests\":2}");
        _values = new ReadOnlyMemory<byte>[Runs];
        _completions = new byte[Runs][];
        for (var i = 0; i < Runs; i++)
        {
            var value = Journal.FanOutValue((uint)(i + 1));
            _values[i] = value;
            _completions[i] = new Journal().Add(MessageType.RunCompletionNotification, Journal.RunCompletion((uint)(i + 1), value)).ToArray();
        }
        Verify();
    }

    [Benchmark]
    public int ExecuteAll() => Attempt(check: false);

    private int Attempt(bool check)
    {
        var stateMachine = new InvocationStateMachine(ProtocolVersion);
        stateMachine.NotifyInput(_start);
        if (!stateMachine.IsReadyToExecute())
        {
            return -1;
        }
        var total = stateMachine.SysInput().Body.Length;
        var handles = new NotificationHandle[Runs];
        var children = new UnresolvedFuture[Runs];
        for (var i = 0; i < handles.Length; i++)
        {
            var run = stateMachine.SysRun(RunName);
            Check(check && run.Replayed, $"Run {i + 1} was replayed although nothing is journaled.");
            handles[i] = run.Handle;
            children[i] = new UnresolvedFuture.Single(handles[i]);
        }
        var all = new UnresolvedFuture.Combinator(CombinatorKind.AllSucceededOrFirstFailed, children);
        for (var i = 0; i < handles.Length; i++)
        {
            var response = stateMachine.DoProgress(all);
            Check(check && (response is not AwaitResponse.ExecuteRun execute || execute.Handle != handles[i]),
                $"DoProgress answered {response} where run {i + 1} should have been executed next.");
        }
        Check(check && stateMachine.DoProgress(all) is not AwaitResponse.WaitingExternalProgress { WaitingRunProposal: true },
            "Once every run was executing, DoProgress did not wait for their proposals.");
        for (var i = 0; i < handles.Length; i++)
        {
            stateMachine.ProposeRunCompletion(handles[i], new RunExitResult.Success(_values[i]), RetryPolicy.Infinite);
            stateMachine.NotifyInput(_completions[i]);
            var response = stateMachine.DoProgress(all);
            var last = i == handles.Length - 1;
            Check(check && (last ? response is not AwaitResponse.AnyCompleted : response is not AwaitResponse.WaitingExternalProgress { WaitingRunProposal: true }),
                $"DoProgress answered {response} after the completion of run {i + 1} of {handles.Length}.");
        }
        for (var i = 0; i < handles.Length; i++)
        {
            if (stateMachine.TakeNotification(handles[i]) is NotificationValue.Success success)
            {
                Check(check && !success.Bytes.Span.SequenceEqual(_values[i].Span), $"Run {i + 1} did not return its own value.");
                total += success.Bytes.Length;
            }
            else
            {
                Check(check, $"Run {i + 1} has no successful result.");
            }
        }
        var output = Finish(stateMachine);
        if (check)
        {
            var frames = Journal.FrameTypes(output.Span);
            MessageType[] expected =
            [
                .. Enumerable.Repeat(MessageType.RunCommand, Runs),
                .. Enumerable.Repeat(MessageType.ProposeRunCompletion, Runs),
                MessageType.OutputCommand,
                MessageType.End,
            ];
            Check(!frames.SequenceEqual(expected), $"The attempt wrote {frames.Count} frames, not Runs × RunCommand, Runs × ProposeRunCompletion, OutputCommand, End.");
        }
        return total + output.Length;
    }

    /// <summary>The same attempt once, checked step by step, so the benchmark cannot time a broken path.</summary>
    private void Verify()
    {
        CheckBodyCompletes(Attempt(check: true));
    }

    private static void Check(bool failed, string message)
    {
        if (failed)
        {
            throw new InvalidOperationException(message);
        }
    }
}

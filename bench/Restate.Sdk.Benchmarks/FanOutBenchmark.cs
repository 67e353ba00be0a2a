using BenchmarkDotNet.Attributes;
using Restate.Sdk.Engine;
using Restate.Sdk.Protocol;

namespace Restate.Sdk.Benchmarks;

/// <summary>
/// What the fan-out benchmarks share: the handler they drive (<see cref="Runs"/> runs named
/// <see cref="Journal.FanOutRunName"/>, then the booking output) under protocol V6, how an attempt ends, and the
/// checks their <c>Verify</c> makes of a replayed attempt.
/// </summary>
public abstract class FanOutBenchmark
{
    protected const string RunName = Journal.FanOutRunName;
    protected const int ProtocolVersion = 6;

    private static readonly byte[] Output = "{\"booked\":true}"u8.ToArray();

    [Params(500, 2000)]
    public int Runs { get; set; }

    /// <summary>Writes the handler's output and End; returns everything the attempt wrote since the last take.</summary>
    private protected static ReadOnlyMemory<byte> Finish(InvocationStateMachine stateMachine)
    {
        stateMachine.SysWriteOutput(new NotificationValue.Success(Output));
        stateMachine.SysEnd();
        return stateMachine.TakeOutput();
    }

    /// <summary>
    /// Replays <paramref name="body"/> (a <see cref="Journal.FanOut"/> journal) up to the last run, checking that the
    /// state machine replays, that every run comes from the journal and that it then processes; returns the runs' handles.
    /// </summary>
    private protected NotificationHandle[] ReplayRunsChecked(InvocationStateMachine stateMachine, byte[] body)
    {
        stateMachine.NotifyInput(body);
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
        return handles;
    }

    /// <summary>Checks that run <paramref name="i"/> (0-based) returned the value the fan-out journal gave it.</summary>
    private protected static void CheckOwnJournaledValue(InvocationStateMachine stateMachine, NotificationHandle handle, int i)
    {
        if (stateMachine.TakeNotification(handle) is not NotificationValue.Success success
            || !success.Bytes.Span.SequenceEqual(Journal.FanOutValue((uint)(i + 1))))
        {
            throw new InvalidOperationException($"Run {i + 1} did not return its own journaled value.");
        }
    }

    /// <summary>Ends a replayed attempt and checks it wrote nothing but the output and End.</summary>
    private protected static void FinishCheckedAfterReplay(InvocationStateMachine stateMachine)
    {
        var frames = Journal.FrameTypes(Finish(stateMachine).Span);
        if (frames is not [MessageType.OutputCommand, MessageType.End])
        {
            throw new InvalidOperationException($"The attempt wrote [{string.Join(", ", frames)}], not [OutputCommand, End].");
        }
    }

    /// <summary>Checks that one run of the benchmark body completed the attempt.</summary>
    protected static void CheckBodyCompletes(int result)
    {
        if (result <= 0)
        {
            throw new InvalidOperationException("The benchmark body did not complete the attempt.");
        }
    }
}

using System.Buffers;
using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using Restate.Sdk.Engine;
using Restate.Sdk.Protocol;

namespace Restate.Sdk.Benchmarks;

/// <summary>
/// Eager state on a state machine in Processing mode that received 100 state entries (complete state) in its StartMessage.
/// Each invocation touches all 100 keys, so the numbers are per get or set; the journal output the calls write is
/// drained into a reused buffer after each batch (that copy is included).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(QuickConfig))]
public class StateBenchmarks
{
    private const int Entries = 100;

    private readonly string[] _keys = [.. Enumerable.Range(0, Entries).Select(i => $"cart-item-{i:D3}")];
    private readonly string[] _absentKeys = [.. Enumerable.Range(0, Entries).Select(i => $"missing-{i:D3}")];
    private readonly byte[] _newValue = "{\"sku\":\"B-7\",\"qty\":3}"u8.ToArray();
    private readonly ArrayBufferWriter<byte> _sink = new(64 * 1024);
    private InvocationStateMachine _stateMachine = null!;

    [GlobalSetup]
    public void Setup()
    {
        var start = Journal.Start(1);
        foreach (var key in _keys)
        {
            start.StateMap.Add(new StartMessage.Types.StateEntry
            {
                Key = ByteString.CopyFromUtf8(key),
                Value = ByteString.CopyFromUtf8("{\"sku\":\"A-1\",\"qty\":1}"),
            });
        }
        _stateMachine = new InvocationStateMachine(6);
        _stateMachine.NotifyInput(new Journal()
            .Add(MessageType.Start, start)
            .Add(MessageType.InputCommand, Journal.Input("{}"))
            .ToArray());
        _stateMachine.NotifyInputClosed();
        if (!_stateMachine.IsReadyToExecute())
        {
            throw new InvalidOperationException($"The state machine is not ready: {_stateMachine.Failure?.Message}");
        }
        _stateMachine.SysInput();
        if (_stateMachine.State != StateMachineState.Processing)
        {
            throw new InvalidOperationException($"The state machine is {_stateMachine.State}, not Processing.");
        }
        if (Get() != Entries || GetAbsent() != Entries)
        {
            throw new InvalidOperationException("Eager state did not answer every key locally.");
        }
        Set();
        if (_stateMachine.TakeNotification(_stateMachine.SysStateGet(_keys[0])) is not NotificationValue.Success success
            || !success.Bytes.Span.SequenceEqual(_newValue))
        {
            throw new InvalidOperationException("A set value was not read back.");
        }
        Drain();
    }

    /// <summary>Keys the runtime sent: each answers a Success without a round trip.</summary>
    [Benchmark(OperationsPerInvoke = Entries)]
    public int Get()
    {
        var hits = 0;
        foreach (var key in _keys)
        {
            if (_stateMachine.TakeNotification(_stateMachine.SysStateGet(key)) is NotificationValue.Success)
            {
                hits++;
            }
        }
        Drain();
        return hits;
    }

    /// <summary>Keys known to be absent (the state is complete): each answers Void without a round trip.</summary>
    [Benchmark(OperationsPerInvoke = Entries)]
    public int GetAbsent()
    {
        var voids = 0;
        foreach (var key in _absentKeys)
        {
            if (_stateMachine.TakeNotification(_stateMachine.SysStateGet(key)) is NotificationValue.Void)
            {
                voids++;
            }
        }
        Drain();
        return voids;
    }

    [Benchmark(OperationsPerInvoke = Entries)]
    public int Set()
    {
        foreach (var key in _keys)
        {
            _stateMachine.SysStateSet(key, _newValue);
        }
        return Drain();
    }

    private int Drain()
    {
        _sink.ResetWrittenCount();
        return _stateMachine.TakeOutput(_sink);
    }
}

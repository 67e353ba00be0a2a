using System.Text;
using Google.Protobuf;
using Restate.Sdk.Engine;
using Restate.Sdk.Protocol;

namespace Restate.Sdk.Tests.Engine;

/// <summary>How the runtime talks to the deployment.</summary>
public enum Mode
{
    /// <summary>The whole request body (start, journal, known notifications) arrives and closes before user code runs.</summary>
    RequestResponse,

    /// <summary>The request stream stays open while user code runs; notifications may arrive mid-run.</summary>
    Bidi,
}

/// <summary>
/// A frame-table test: <c>StateMachineTestCase.Create().WithInput(frames…).Run(mode, run =&gt; …)</c> returns everything the state machine
/// wrote, decoded, for exact assertions.
/// </summary>
internal sealed class StateMachineTestCase
{
    private readonly int _version;
    private readonly bool _implicitCancellation;
    private readonly List<byte[]> _input = [];

    private StateMachineTestCase(int version, bool implicitCancellation)
    {
        _version = version;
        _implicitCancellation = implicitCancellation;
    }

    public static StateMachineTestCase Create(int version = 6, bool implicitCancellation = true) => new(version, implicitCancellation);

    /// <summary>
    /// A first attempt: the start message (one known entry) and input <c>"1"</c>, nothing journaled. Frames added with
    /// <see cref="WithInput"/> follow them.
    /// </summary>
    public static StateMachineTestCase Started(int version = 6, bool implicitCancellation = true) =>
        Create(version, implicitCancellation).WithInput(Frames.Start(1), Frames.Input("1"));

    /// <summary>
    /// A replay under protocol V6: the start message, input <c>"1"</c>, then <paramref name="journal"/> (commands and
    /// notifications), all counted as known entries.
    /// </summary>
    public static StateMachineTestCase Replaying(params byte[][] journal) => Replaying(6, journal);

    /// <inheritdoc cref="Replaying(byte[][])"/>
    /// <param name="version">The negotiated protocol version.</param>
    /// <param name="journal">The journaled frames after the input.</param>
    public static StateMachineTestCase Replaying(int version, params byte[][] journal) =>
        Create(version).WithInput([Frames.Start((uint)journal.Length + 1), Frames.Input("1"), .. journal]);

    public StateMachineTestCase WithInput(params byte[][] frames)
    {
        _input.AddRange(frames);
        return this;
    }

    /// <summary>
    /// Feeds the input frames; in request/response mode also closes the input; then runs <paramref name="body"/> and
    /// collects all output (including output already taken by the body).
    /// </summary>
    public VmOutput Run(Mode mode, Action<VmRun> body)
    {
        var stateMachine = new InvocationStateMachine(_version, _implicitCancellation);
        foreach (var frame in _input)
        {
            stateMachine.NotifyInput(frame);
        }
        if (mode == Mode.RequestResponse)
        {
            stateMachine.NotifyInputClosed();
        }
        var run = new VmRun(stateMachine, mode);
        body(run);
        run.TakeOutput();
        return new VmOutput(run.Written, stateMachine);
    }

    public VmOutput Run(Action<VmRun> body) => Run(Mode.RequestResponse, body);

    /// <summary>
    /// Like <see cref="Run(Mode, Action{VmRun})"/>, but the handler first reads its input, as handlers do;
    /// <paramref name="body"/> is the rest of the handler.
    /// </summary>
    public VmOutput RunHandler(Mode mode, Action<VmRun> body) => Run(mode, run =>
    {
        run.Input();
        body(run);
    });

    public VmOutput RunHandler(Action<VmRun> body) => RunHandler(Mode.RequestResponse, body);
}

/// <summary>What a test body sees: the state machine plus helpers that keep the tables short.</summary>
internal sealed class VmRun(InvocationStateMachine stateMachine, Mode mode)
{
    private readonly List<OutputFrame> _written = [];

    public InvocationStateMachine StateMachine { get; } = stateMachine;

    public Mode Mode { get; } = mode;

    public bool IsBidi => Mode == Mode.Bidi;

    public IReadOnlyList<OutputFrame> Written => _written;

    /// <summary>Delivers frames mid-run (bidi only: in request/response mode the runtime cannot send more).</summary>
    public void Feed(params byte[][] frames)
    {
        Assert.True(IsBidi, "mid-run input only exists in bidi mode");
        foreach (var frame in frames)
        {
            StateMachine.NotifyInput(frame);
        }
    }

    /// <summary>Takes the output written since the last call (it is also kept for the final assertions).</summary>
    public List<OutputFrame> TakeOutput()
    {
        var frames = Frames.Decode(StateMachine.TakeOutput().Span, StateMachine.ProtocolVersionNumber);
        _written.AddRange(frames);
        return frames;
    }

    public InvocationInput Input() => StateMachine.SysInput();

    public AwaitResponse Await(UnresolvedFuture future) => StateMachine.DoProgress(future);

    public AwaitResponse Await(NotificationHandle handle) => StateMachine.DoProgress(Fut.One(handle));

    public void AwaitCompleted(UnresolvedFuture future) => Assert.IsType<AwaitResponse.AnyCompleted>(Await(future));

    public void AwaitCompleted(NotificationHandle handle) => AwaitCompleted(Fut.One(handle));

    /// <summary>The await must suspend (599): the state machine wrote a SuspensionMessage and closed.</summary>
    public StateMachineException AwaitSuspends(UnresolvedFuture future)
    {
        var e = Assert.Throws<StateMachineException>(() => Await(future));
        Assert.Equal(ErrorCodes.Suspended, e.Code);
        Assert.Equal(StateMachineState.Closed, StateMachine.State);
        return e;
    }

    /// <summary>
    /// The await cannot complete yet. Request/response: it suspends (returns false, the test stops there).
    /// Bidi: it waits for input (returns true, the test feeds more input and continues).
    /// </summary>
    public bool AwaitBlocks(UnresolvedFuture future)
    {
        if (!IsBidi)
        {
            AwaitSuspends(future);
            return false;
        }
        Assert.Equal(new AwaitResponse.WaitingExternalProgress(true, false), Await(future));
        return true;
    }

    public bool AwaitBlocks(NotificationHandle handle) => AwaitBlocks(Fut.One(handle));

    public NotificationValue Take(NotificationHandle handle)
    {
        var value = StateMachine.TakeNotification(handle);
        Assert.NotNull(value);
        return value;
    }

    /// <summary>Writes a successful output and the EndMessage.</summary>
    public void Finish(string json = "\"done\"")
    {
        StateMachine.SysWriteOutput(Values.Success(json));
        StateMachine.SysEnd();
        Assert.Equal(StateMachineState.Closed, StateMachine.State);
    }
}

/// <summary>The decoded output of a test case.</summary>
internal sealed class VmOutput(IReadOnlyList<OutputFrame> frames, InvocationStateMachine stateMachine)
{
    public IReadOnlyList<OutputFrame> Frames { get; } = frames;

    public InvocationStateMachine StateMachine { get; } = stateMachine;

    /// <summary>The output is exactly these frames, in order (suspension id lists compared as sets).</summary>
    public void Is(params ExpectedFrame[] expected)
    {
        Assert.True(expected.Length == Frames.Count,
            $"expected {expected.Length} frames:\n  {string.Join("\n  ", expected)}\nbut got {Frames.Count}:\n  {string.Join("\n  ", Frames)}");
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(expected[i].Type == Frames[i].Type, $"frame {i}: expected {expected[i]} but got {Frames[i]}");
            Assert.Equal(Normalize(expected[i].Message), Normalize(Frames[i].Message));
        }
    }

    /// <summary>The output is <paramref name="before"/> followed by one ErrorMessage, which is returned.</summary>
    public ErrorMessage EndsWithError(params ExpectedFrame[] before)
    {
        Assert.True(Frames.Count == before.Length + 1, $"expected {before.Length} frames and an error, got:\n  {string.Join("\n  ", Frames)}");
        new VmOutput([.. Frames.Take(before.Length)], StateMachine).Is(before);
        Assert.Equal(StateMachineState.Closed, StateMachine.State);
        return Frames[^1].As<ErrorMessage>();
    }

    private static IMessage Normalize(IMessage message)
    {
        if (message is not SuspensionMessage suspension)
        {
            return message;
        }
        // V5/V6 suspensions are "resume when any of these arrives": the order of ids carries no meaning.
        var sorted = new SuspensionMessage();
        sorted.WaitingCompletions.AddRange(suspension.WaitingCompletions.Order());
        sorted.WaitingSignals.AddRange(suspension.WaitingSignals.Order());
        sorted.WaitingNamedSignals.AddRange(suspension.WaitingNamedSignals.Order(StringComparer.Ordinal));
        return sorted;
    }
}

internal readonly record struct ExpectedFrame(MessageType Type, IMessage Message)
{
    public override string ToString() => $"{Type.Describe()} {Message}";
}

/// <summary>Expected frames.</summary>
internal static class Expect
{
    public static ExpectedFrame Command(MessageType type, IMessage message) => new(type, message);

    public static ExpectedFrame Output(string json) =>
        new(MessageType.OutputCommand, new OutputCommandMessage { Value = Frames.Value(json) });

    public static ExpectedFrame OutputFailure(Failure failure) =>
        new(MessageType.OutputCommand, new OutputCommandMessage { Failure = failure });

    public static ExpectedFrame End() => new(MessageType.End, new EndMessage());

    /// <summary>Output "done" and End: what <see cref="VmRun.Finish"/> writes by default.</summary>
    public static ExpectedFrame[] Finished(string json = "\"done\"") => [Output(json), End()];

    public static ExpectedFrame Suspension(uint[]? completions = null, uint[]? signals = null, string[]? named = null)
    {
        var suspension = new SuspensionMessage();
        suspension.WaitingCompletions.AddRange(completions ?? []);
        suspension.WaitingSignals.AddRange(signals ?? []);
        suspension.WaitingNamedSignals.AddRange(named ?? []);
        return new(MessageType.Suspension, suspension);
    }

    /// <summary>A V7 suspension on <paramref name="awaitingOn"/> (build it with <see cref="Wire.Node"/>).</summary>
    public static ExpectedFrame SuspensionV7(Future awaitingOn) =>
        new(MessageType.Suspension, new SuspensionMessageV7 { AwaitingOn = awaitingOn });

    public static ExpectedFrame Sleep(uint completionId, ulong wakeUpTime, string name = "") =>
        new(MessageType.SleepCommand, new SleepCommandMessage { ResultCompletionId = completionId, WakeUpTime = wakeUpTime, Name = name });

    public static ExpectedFrame Run(uint completionId, string name) =>
        new(MessageType.RunCommand, new RunCommandMessage { ResultCompletionId = completionId, Name = name });

    public static ExpectedFrame GetPromise(uint completionId, string key) =>
        new(MessageType.GetPromiseCommand, new GetPromiseCommandMessage { ResultCompletionId = completionId, Key = key });

    public static ExpectedFrame ProposeRun(uint completionId, string json) =>
        new(MessageType.ProposeRunCompletion, new ProposeRunCompletionMessage { ResultCompletionId = completionId, Value = ByteString.CopyFromUtf8(json) });

    public static ExpectedFrame ProposeRun(uint completionId, Failure failure) =>
        new(MessageType.ProposeRunCompletion, new ProposeRunCompletionMessage { ResultCompletionId = completionId, Failure = failure });

    public static ExpectedFrame CancelSignal(string targetInvocationId) =>
        new(MessageType.SendSignalCommand, new SendSignalCommandMessage { TargetInvocationId = targetInvocationId, Idx = 1, Void = new VoidResult() });
}

/// <summary>
/// The Call and OneWayCall commands a handler's call or send of <c>target</c> writes (and a journal replays), with
/// the fields every such test sets; scope and limit key only when given (they are optional on the wire).
/// </summary>
internal static class CallCommands
{
    public static CallCommandMessage Call(CallAddress target, string parameterJson, uint invocationIdCompletion = 1, uint resultCompletion = 2,
        string? scope = null, string? limitKey = null)
    {
        var call = new CallCommandMessage
        {
            ServiceName = target.Service,
            HandlerName = target.Handler,
            Key = target.Key ?? "",
            Parameter = ByteString.CopyFromUtf8(parameterJson),
            InvocationIdNotificationIdx = invocationIdCompletion,
            ResultCompletionId = resultCompletion,
        };
        if (scope is not null)
        {
            call.Scope = scope;
        }
        if (limitKey is not null)
        {
            call.LimitKey = limitKey;
        }
        return call;
    }

    public static OneWayCallCommandMessage Send(CallAddress target, string parameterJson, uint invocationIdCompletion = 1,
        string? scope = null, string? limitKey = null)
    {
        var send = new OneWayCallCommandMessage
        {
            ServiceName = target.Service,
            HandlerName = target.Handler,
            Key = target.Key ?? "",
            Parameter = ByteString.CopyFromUtf8(parameterJson),
            InvocationIdNotificationIdx = invocationIdCompletion,
        };
        if (scope is not null)
        {
            send.Scope = scope;
        }
        if (limitKey is not null)
        {
            send.LimitKey = limitKey;
        }
        return send;
    }
}

/// <summary>Builds the V7 wire <see cref="Future"/> the state machine is expected to write.</summary>
internal static class Wire
{
    public static Future Node(CombinatorType type, uint[]? completions = null, uint[]? signals = null, string[]? named = null,
        params Future[] nested)
    {
        var future = new Future { CombinatorType = type };
        future.WaitingCompletions.AddRange(completions ?? []);
        future.WaitingSignals.AddRange(signals ?? []);
        future.WaitingNamedSignals.AddRange(named ?? []);
        future.NestedFutures.AddRange(nested);
        return future;
    }

    /// <summary>What implicit cancellation makes of an awaited combinator: the first of it and the cancel signal (1).</summary>
    public static Future OrCancel(Future awaited) => Node(CombinatorType.FirstCompleted, signals: [1], nested: awaited);
}

/// <summary>Builders for awaited future trees.</summary>
internal static class Fut
{
    public static UnresolvedFuture One(NotificationHandle handle) => new UnresolvedFuture.Single(handle);

    public static UnresolvedFuture Of(CombinatorKind kind, params UnresolvedFuture[] children) =>
        new UnresolvedFuture.Combinator(kind, children);

    public static UnresolvedFuture Of(CombinatorKind kind, params NotificationHandle[] children) =>
        new UnresolvedFuture.Combinator(kind, [.. children.Select(One)]);
}

/// <summary>Building and checking notification values.</summary>
internal static class Values
{
    public static NotificationValue.Success Success(string json) => new(Frames.Utf8(json));

    public static NotificationValue.Failure Failure(ushort code, string message, params (string Key, string Value)[] metadata) =>
        new(new TerminalFailure(code, message, [.. metadata.Select(m => KeyValuePair.Create(m.Key, m.Value))]));

    public static void AssertSuccess(string expectedJson, NotificationValue? value)
    {
        var success = Assert.IsType<NotificationValue.Success>(value);
        Assert.Equal(expectedJson, Encoding.UTF8.GetString(success.Bytes.Span));
    }

    public static void AssertFailure(ushort code, string message, NotificationValue? value)
    {
        var failure = Assert.IsType<NotificationValue.Failure>(value);
        Assert.Equal(code, failure.Error.Code);
        Assert.Equal(message, failure.Error.Message);
    }

    public static void AssertVoid(NotificationValue? value) => Assert.IsType<NotificationValue.Void>(value);
}

using Google.Protobuf;
using Restate.Sdk.Engine;
using Restate.Sdk.Protocol;

namespace Restate.Sdk.Tests.Engine;

public sealed class StateTests
{
    private static readonly Dictionary<string, string> OneEntry = new() { ["count"] = "5" };

    [Theory]
    [InlineData(Mode.RequestResponse, true)]
    [InlineData(Mode.RequestResponse, false)]
    [InlineData(Mode.Bidi, true)]
    [InlineData(Mode.Bidi, false)]
    public void SysStateGet_KeyInEagerState_WritesGetEagerStateWithValue(Mode mode, bool partial)
    {
        var output = StateMachineTestCase.Create()
            .WithInput(Frames.Start(1, key: "k1", state: OneEntry, partial: partial), Frames.Input("1"))
            .RunHandler(mode, run =>
            {
                var handle = run.StateMachine.SysStateGet("count");
                Assert.True(run.StateMachine.IsReady(handle));
                run.AwaitCompleted(handle);
                Values.AssertSuccess("5", run.Take(handle));
                run.Finish();
            });

        output.Is([GetEager("count", "5"), .. Expect.Finished()]);
    }

    [Fact]
    public void SysStateGet_EmptyValueInEagerState_IsAValueNotAbsence()
    {
        var output = StateMachineTestCase.Create()
            .WithInput(Frames.Start(1, state: new Dictionary<string, string> { ["empty"] = "" }, partial: true), Frames.Input("1"))
            .RunHandler(run =>
            {
                Values.AssertSuccess("", run.Take(run.StateMachine.SysStateGet("empty")));
                run.Finish();
            });

        output.Is([GetEager("empty", ""), .. Expect.Finished()]);
        Assert.Equal([1, 14], Frames.FieldNumbers(output.Frames[0].Payload)); // key, then value on field 14
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void SysStateGet_CompleteStateWithoutKey_WritesGetEagerStateVoid(Mode mode)
    {
        var output = StateMachineTestCase.Create()
            .WithInput(Frames.Start(1, state: OneEntry, partial: false), Frames.Input("1"))
            .RunHandler(mode, run =>
            {
                var handle = run.StateMachine.SysStateGet("missing");
                Values.AssertVoid(run.Take(handle));
                run.Finish();
            });

        output.Is([GetEager("missing", null), .. Expect.Finished()]);
        Assert.Equal([1, 13], Frames.FieldNumbers(output.Frames[0].Payload)); // key, then void on field 13
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void SysStateGet_PartialStateWithoutKey_LazyGetThenAwaitsCompletion(Mode mode)
    {
        var output = StateMachineTestCase.Create()
            .WithInput(Frames.Start(1, state: OneEntry, partial: true), Frames.Input("1"))
            .RunHandler(mode, run =>
            {
                var handle = run.StateMachine.SysStateGet("missing");
                Assert.False(run.StateMachine.IsReady(handle));
                if (run.AwaitBlocks(handle))
                {
                    run.Feed(Frames.Notification(MessageType.GetLazyStateCompletionNotification, completionId: 1, value: "\"late\""));
                    run.AwaitCompleted(handle);
                    Values.AssertSuccess("\"late\"", run.Take(handle));
                    run.Finish();
                }
            });

        ExpectedFrame[] tail = mode == Mode.RequestResponse
            ? [Expect.Suspension(completions: [1], signals: [1])]
            : Expect.Finished();
        output.Is([GetLazy("missing", 1), .. tail]);
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void SysStateGet_LazyCompletedWithVoid_ReturnsVoid(Mode mode)
    {
        StateMachineTestCase.Started()
            .WithInput(
                Frames.Notification(MessageType.GetLazyStateCompletionNotification, completionId: 1, isVoid: true))
            .RunHandler(mode, run =>
            {
                var handle = run.StateMachine.SysStateGet("k");
                run.AwaitCompleted(handle);
                Values.AssertVoid(run.Take(handle));
                run.Finish();
            })
            .Is([GetLazy("k", 1), .. Expect.Finished()]);
    }

    [Fact]
    public void SysStateSet_ThenGet_EagerNewValue()
    {
        var output = StateMachineTestCase.Create()
            .WithInput(Frames.Start(1, partial: true), Frames.Input("1"))
            .RunHandler(run =>
            {
                run.StateMachine.SysStateSet("k", Frames.Utf8("\"v1\""));
                Values.AssertSuccess("\"v1\"", run.Take(run.StateMachine.SysStateGet("k")));
                run.Finish();
            });

        output.Is([Set("k", "\"v1\""), GetEager("k", "\"v1\""), .. Expect.Finished()]);
        Assert.Equal([1, 3], Frames.FieldNumbers(output.Frames[0].Payload)); // SetState carries its value on field 3
    }

    [Fact]
    public void SysStateSet_ThenGet_ReturnsAndEchoesTheSameRawBytes()
    {
        byte[] raw = [0x00, 0xFF, 0x0A, 0x80, 0x01];
        var output = StateMachineTestCase.Create()
            .WithInput(Frames.Start(1, partial: true), Frames.Input("1"))
            .RunHandler(run =>
            {
                run.StateMachine.SysStateSet("bin", raw);
                var first = Assert.IsType<NotificationValue.Success>(run.Take(run.StateMachine.SysStateGet("bin")));
                var second = Assert.IsType<NotificationValue.Success>(run.Take(run.StateMachine.SysStateGet("bin")));
                Assert.Equal(raw, first.Bytes.ToArray());
                Assert.Equal(raw, second.Bytes.ToArray());
                run.Finish();
            });

        Assert.Equal(raw, output.Frames[0].As<SetStateCommandMessage>().Value.Content.ToByteArray());
        Assert.Equal(raw, output.Frames[1].As<GetEagerStateCommandMessage>().Value.Content.ToByteArray());
        Assert.Equal(raw, output.Frames[2].As<GetEagerStateCommandMessage>().Value.Content.ToByteArray());
    }

    [Theory]
    [InlineData(Mode.RequestResponse, false)]
    [InlineData(Mode.RequestResponse, true)]
    [InlineData(Mode.Bidi, false)]
    [InlineData(Mode.Bidi, true)]
    public void SysStateSet_CallerReusesItsArray_LaterGetsAndOutputKeepTheValuesSet(Mode mode, bool firstSetReplayed)
    {
        byte[][] input = firstSetReplayed
            ? [Frames.Start(2, partial: true), Frames.Input("1"), Frames.Command(MessageType.SetStateCommand, Set("k", "\"v1\"").Message)]
            : [Frames.Start(1, partial: true), Frames.Input("1")];
        var output = StateMachineTestCase.Create()
            .WithInput(input)
            .RunHandler(mode, run =>
            {
                var buffer = Frames.Utf8("\"v1\"");
                run.StateMachine.SysStateSet("k", buffer);
                buffer.AsSpan().Fill((byte)'x'); // the caller reuses its array once the call returned
                Values.AssertSuccess("\"v1\"", run.Take(run.StateMachine.SysStateGet("k")));

                Frames.Utf8("\"v2\"").CopyTo(buffer, 0);
                run.StateMachine.SysStateSet("k", buffer);
                buffer.AsSpan().Fill((byte)'y');
                Values.AssertSuccess("\"v2\"", run.Take(run.StateMachine.SysStateGet("k")));
                run.Finish();
            });

        ExpectedFrame[] firstSet = firstSetReplayed ? [] : [Set("k", "\"v1\"")];
        output.Is([.. firstSet, GetEager("k", "\"v1\""), Set("k", "\"v2\""), GetEager("k", "\"v2\""), .. Expect.Finished()]);
    }

    [Fact]
    public void SysStateGet_RuntimeReusesItsInputBuffer_EagerValueFromStartUnchanged()
    {
        var start = Frames.Start(1, state: OneEntry, partial: false);
        var output = StateMachineTestCase.Create()
            .WithInput(start, Frames.Input("1"))
            .Run(run =>
            {
                // The transport hands NotifyInput pooled buffers and reuses them once the call returned.
                start.AsSpan().Fill(0xEE);
                run.Input();
                Values.AssertSuccess("5", run.Take(run.StateMachine.SysStateGet("count")));
                Values.AssertSuccess("5", run.Take(run.StateMachine.SysStateGet("count")));
                run.Finish();
            });

        output.Is([GetEager("count", "5"), GetEager("count", "5"), .. Expect.Finished()]);
    }

    [Fact]
    public void SysStateClear_ThenGet_EagerVoidEvenWithPartialState()
    {
        var output = StateMachineTestCase.Create()
            .WithInput(Frames.Start(1, state: OneEntry, partial: true), Frames.Input("1"))
            .RunHandler(run =>
            {
                run.StateMachine.SysStateClear("count");
                Values.AssertVoid(run.Take(run.StateMachine.SysStateGet("count")));
                run.Finish();
            });

        output.Is(
        [
            Expect.Command(MessageType.ClearStateCommand, new ClearStateCommandMessage { Key = ByteString.CopyFromUtf8("count") }),
            GetEager("count", null),
            .. Expect.Finished(),
        ]);
    }

    [Fact]
    public void SysStateClearAll_MakesStateComplete()
    {
        var output = StateMachineTestCase.Create()
            .WithInput(Frames.Start(1, state: OneEntry, partial: true), Frames.Input("1"))
            .RunHandler(run =>
            {
                run.StateMachine.SysStateClearAll();
                Values.AssertVoid(run.Take(run.StateMachine.SysStateGet("count")));
                Values.AssertVoid(run.Take(run.StateMachine.SysStateGet("never-seen")));
                var keys = Assert.IsType<NotificationValue.StateKeys>(run.Take(run.StateMachine.SysStateGetKeys()));
                Assert.Empty(keys.Keys);
                run.Finish();
            });

        output.Is(
        [
            Expect.Command(MessageType.ClearAllStateCommand, new ClearAllStateCommandMessage()),
            GetEager("count", null),
            GetEager("never-seen", null),
            EagerKeys(),
            .. Expect.Finished(),
        ]);
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void SysStateGetKeys_CompleteState_EagerSortedKeysIncludingLocalWrites(Mode mode)
    {
        var state = new Dictionary<string, string> { ["b"] = "1", ["c"] = "2", ["a"] = "3" };
        var output = StateMachineTestCase.Create()
            .WithInput(Frames.Start(1, state: state, partial: false), Frames.Input("1"))
            .RunHandler(mode, run =>
            {
                var first = Assert.IsType<NotificationValue.StateKeys>(run.Take(run.StateMachine.SysStateGetKeys()));
                Assert.Equal(["a", "b", "c"], first.Keys);
                run.StateMachine.SysStateSet("aa", Frames.Utf8("0"));
                run.StateMachine.SysStateClear("b");
                var second = Assert.IsType<NotificationValue.StateKeys>(run.Take(run.StateMachine.SysStateGetKeys()));
                Assert.Equal(["a", "aa", "c"], second.Keys);
                run.Finish();
            });

        output.Is(
        [
            EagerKeys("a", "b", "c"),
            Set("aa", "0"),
            Expect.Command(MessageType.ClearStateCommand, new ClearStateCommandMessage { Key = ByteString.CopyFromUtf8("b") }),
            EagerKeys("a", "aa", "c"),
            .. Expect.Finished(),
        ]);
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void SysStateGetKeys_PartialState_LazyThenAwaitsCompletion(Mode mode)
    {
        var output = StateMachineTestCase.Create()
            .WithInput(Frames.Start(1, state: OneEntry, partial: true), Frames.Input("1"))
            .RunHandler(mode, run =>
            {
                var handle = run.StateMachine.SysStateGetKeys();
                if (run.AwaitBlocks(handle))
                {
                    run.Feed(Frames.Notification(MessageType.GetLazyStateKeysCompletionNotification, completionId: 1, stateKeys: ["x", "count"]));
                    run.AwaitCompleted(handle);
                    var keys = Assert.IsType<NotificationValue.StateKeys>(run.Take(handle));
                    Assert.Equal(["count", "x"], keys.Keys); // sorted, like the eager keys
                    run.Finish();
                }
            });

        ExpectedFrame[] tail = mode == Mode.RequestResponse
            ? [Expect.Suspension(completions: [1], signals: [1])]
            : Expect.Finished();
        output.Is(
        [
            Expect.Command(MessageType.GetLazyStateKeysCommand, new GetLazyStateKeysCommandMessage { ResultCompletionId = 1 }),
            .. tail,
        ]);
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void SysStateGet_ReplayedEagerGet_ReturnsJournaledValueNotStartState(Mode mode)
    {
        var output = StateMachineTestCase.Create()
            .WithInput(
                Frames.Start(2, state: new Dictionary<string, string> { ["k"] = "\"new\"" }, partial: false),
                Frames.Input("1"),
                Frames.Command(MessageType.GetEagerStateCommand, GetEager("k", "\"old\"").Message))
            .RunHandler(mode, run =>
            {
                var handle = run.StateMachine.SysStateGet("k");
                Assert.Equal(StateMachineState.Processing, run.StateMachine.State);
                Values.AssertSuccess("\"old\"", run.Take(handle));
                run.Finish();
            });

        output.Is(Expect.Finished());
    }

    [Fact]
    public void SysStateGet_ReplayedEagerVoidGet_ReturnsVoid()
    {
        StateMachineTestCase.Create()
            .WithInput(
                Frames.Start(2, state: new Dictionary<string, string> { ["k"] = "1" }, partial: false),
                Frames.Input("1"),
                Frames.Command(MessageType.GetEagerStateCommand, GetEager("k", null).Message))
            .RunHandler(run =>
            {
                Values.AssertVoid(run.Take(run.StateMachine.SysStateGet("k")));
                run.Finish();
            })
            .Is(Expect.Finished());
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void SysStateGet_ReplayedLazyGetWithCompletion_AcceptedEvenIfStateIsEager(Mode mode)
    {
        var output = StateMachineTestCase.Create()
            .WithInput(
                Frames.Start(3, state: new Dictionary<string, string> { ["k"] = "\"eager\"" }, partial: false),
                Frames.Input("1"),
                Frames.Command(MessageType.GetLazyStateCommand, GetLazy("k", 1).Message),
                Frames.Notification(MessageType.GetLazyStateCompletionNotification, completionId: 1, value: "\"lazy\""))
            .RunHandler(mode, run =>
            {
                var handle = run.StateMachine.SysStateGet("k");
                run.AwaitCompleted(handle);
                Values.AssertSuccess("\"lazy\"", run.Take(handle));
                // The lazy get took completion id 1, so the next completable command takes 2.
                run.StateMachine.SysSleep(DateTimeOffset.FromUnixTimeMilliseconds(1000), "after");
                run.Finish();
            });

        output.Is([Expect.Sleep(2, 1000, "after"), .. Expect.Finished()]);
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void SysStateGet_ReplayedLazyGetWithoutCompletion_AwaitsIt(Mode mode)
    {
        var output = StateMachineTestCase.Replaying(
                Frames.Command(MessageType.GetLazyStateCommand, GetLazy("k", 1).Message))
            .RunHandler(mode, run =>
            {
                var handle = run.StateMachine.SysStateGet("k");
                if (run.AwaitBlocks(handle))
                {
                    run.Feed(Frames.Notification(MessageType.GetLazyStateCompletionNotification, completionId: 1, value: "7"));
                    run.AwaitCompleted(handle);
                    Values.AssertSuccess("7", run.Take(handle));
                    run.Finish();
                }
            });

        output.Is(mode == Mode.RequestResponse ? [Expect.Suspension(completions: [1], signals: [1])] : Expect.Finished());
    }

    [Fact]
    public void SysStateGetKeys_ReplayedEagerKeys_ReturnsJournaledKeys()
    {
        StateMachineTestCase.Create()
            .WithInput(
                Frames.Start(2, state: new Dictionary<string, string> { ["now"] = "1" }, partial: false),
                Frames.Input("1"),
                Frames.Command(MessageType.GetEagerStateKeysCommand, EagerKeys("then1", "then2").Message))
            .RunHandler(run =>
            {
                var keys = Assert.IsType<NotificationValue.StateKeys>(run.Take(run.StateMachine.SysStateGetKeys()));
                Assert.Equal(["then1", "then2"], keys.Keys);
                run.Finish();
            })
            .Is(Expect.Finished());
    }

    [Fact]
    public void SysStateSet_Replayed_UpdatesLocalState()
    {
        StateMachineTestCase.Create()
            .WithInput(
                Frames.Start(2, partial: true),
                Frames.Input("1"),
                Frames.Command(MessageType.SetStateCommand, Set("k", "\"replayed\"").Message))
            .RunHandler(run =>
            {
                run.StateMachine.SysStateSet("k", Frames.Utf8("\"replayed\""));
                Values.AssertSuccess("\"replayed\"", run.Take(run.StateMachine.SysStateGet("k")));
                run.Finish();
            })
            .Is([GetEager("k", "\"replayed\""), .. Expect.Finished()]);
    }

    private static ExpectedFrame GetEager(string key, string? value)
    {
        var command = new GetEagerStateCommandMessage { Key = ByteString.CopyFromUtf8(key) };
        if (value is null)
        {
            command.Void = new VoidResult();
        }
        else
        {
            command.Value = Frames.Value(value);
        }
        return Expect.Command(MessageType.GetEagerStateCommand, command);
    }

    private static ExpectedFrame GetLazy(string key, uint completionId) =>
        Expect.Command(MessageType.GetLazyStateCommand,
            new GetLazyStateCommandMessage { Key = ByteString.CopyFromUtf8(key), ResultCompletionId = completionId });

    private static ExpectedFrame Set(string key, string value) =>
        Expect.Command(MessageType.SetStateCommand,
            new SetStateCommandMessage { Key = ByteString.CopyFromUtf8(key), Value = Frames.Value(value) });

    private static ExpectedFrame EagerKeys(params string[] keys)
    {
        var command = new GetEagerStateKeysCommandMessage { Value = new StateKeys() };
        command.Value.Keys.AddRange(keys.Select(ByteString.CopyFromUtf8));
        return Expect.Command(MessageType.GetEagerStateKeysCommand, command);
    }
}

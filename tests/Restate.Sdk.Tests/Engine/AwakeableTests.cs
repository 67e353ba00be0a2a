using System.Buffers.Binary;
using System.Buffers.Text;
using Restate.Sdk.Engine;
using Restate.Sdk.Protocol;

namespace Restate.Sdk.Tests.Engine;

public sealed class AwakeableTests
{
    [Fact]
    public void SysAwakeable_Id_IsSignPrefixedBase64UrlOfInvocationIdAndSignalId()
    {
        var output = StateMachineTestCase.Started()
            .RunHandler(run =>
            {
                var (first, firstHandle) = run.StateMachine.SysAwakeable();
                var (second, secondHandle) = run.StateMachine.SysAwakeable();
                Assert.NotEqual(firstHandle, secondHandle);

                AssertAwakeableId(first, 17);
                AssertAwakeableId(second, 18);
                Assert.Empty(run.TakeOutput()); // allocating an awakeable writes nothing
            });

        Assert.Empty(output.Frames);
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void SysAwakeable_SignalNotification_CompletesIt(Mode mode)
    {
        var output = StateMachineTestCase.Started()
            .RunHandler(mode, run =>
            {
                var (_, handle) = run.StateMachine.SysAwakeable();
                if (run.AwaitBlocks(handle))
                {
                    run.Feed(Frames.Signal(17, value: "\"woken\""));
                    run.AwaitCompleted(handle);
                    Values.AssertSuccess("\"woken\"", run.Take(handle));
                    run.Finish();
                }
            });

        output.Is(mode == Mode.RequestResponse ? [Expect.Suspension(signals: [1, 17])] : Expect.Finished());
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void SysAwakeable_SecondAwakeableRejected_ReturnsFailure(Mode mode)
    {
        StateMachineTestCase.Started()
            .WithInput(Frames.Signal(18, failure: Frames.Fail(400, "rejected")))
            .RunHandler(mode, run =>
            {
                run.StateMachine.SysAwakeable();
                var (_, second) = run.StateMachine.SysAwakeable();
                run.AwaitCompleted(second);
                Values.AssertFailure(400, "rejected", run.Take(second));
                run.Finish();
            })
            .Is(Expect.Finished());
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void CreateSignalHandle_NamedSignal_SuspendsOnNameOrCompletes(Mode mode)
    {
        var output = StateMachineTestCase.Started()
            .RunHandler(mode, run =>
            {
                var handle = run.StateMachine.CreateSignalHandle("approved");
                if (run.AwaitBlocks(handle))
                {
                    run.Feed(Frames.Notification(MessageType.SignalNotification, signalName: "approved", value: "true"));
                    run.AwaitCompleted(handle);
                    Values.AssertSuccess("true", run.Take(handle));
                    run.Finish();
                }
            });

        output.Is(mode == Mode.RequestResponse ? [Expect.Suspension(signals: [1], named: ["approved"])] : Expect.Finished());
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    public void SysCompleteAwakeable_Value_WrittenOnField2(int version)
    {
        var output = StateMachineTestCase.Started(version)
            .RunHandler(run =>
            {
                run.StateMachine.SysCompleteAwakeable("sign_1abc", Values.Success("\"ok\""));
                run.Finish();
            });

        output.Is(
        [
            Expect.Command(MessageType.CompleteAwakeableCommand,
                new CompleteAwakeableCommandMessage { AwakeableId = "sign_1abc", Value = Frames.Value("\"ok\"") }),
            .. Expect.Finished(),
        ]);
        Assert.Equal([1, 2], Frames.FieldNumbers(output.Frames[0].Payload));
    }

    [Theory]
    [InlineData(5, false)]
    [InlineData(6, true)]
    public void SysCompleteAwakeable_Failure_WrittenOnField3(int version, bool withMetadata)
    {
        var output = StateMachineTestCase.Started(version)
            .RunHandler(run =>
            {
                run.StateMachine.SysCompleteAwakeable("sign_1abc", Values.Failure(500, "bad", ("m", "1")));
                run.Finish();
            });

        var failure = withMetadata ? Frames.Fail(500, "bad", ("m", "1")) : Frames.Fail(500, "bad");
        output.Is(
        [
            Expect.Command(MessageType.CompleteAwakeableCommand,
                new CompleteAwakeableCommandMessage { AwakeableId = "sign_1abc", Failure = failure }),
            .. Expect.Finished(),
        ]);
        Assert.Equal([1, 3], Frames.FieldNumbers(output.Frames[0].Payload));
    }

    [Fact]
    public void IsAwakeableId_OwnIdsAndTheOlderPromPrefix_AreAccepted()
    {
        StateMachineTestCase.Started()
            .RunHandler(run =>
            {
                var (id, _) = run.StateMachine.SysAwakeable();

                Assert.True(run.StateMachine.IsAwakeableId(id));
                Assert.True(run.StateMachine.IsAwakeableId("prom_1" + id["sign_1".Length..]));
            });
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-an-awakeable")]
    [InlineData("sign_garbage")]
    [InlineData("sign_1abc")] // too short: not an invocation id and an index
    [InlineData("inv_1kYGFgeJuO1I66UcGv0DktrWwCyAIpQ0FP")]
    public void IsAwakeableId_OtherStrings_AreRefused(string id)
    {
        StateMachineTestCase.Started()
            .RunHandler(run =>
            {
                var (own, _) = run.StateMachine.SysAwakeable();

                Assert.False(run.StateMachine.IsAwakeableId(id));
                // The right length but a character outside base64url, or padding, or whitespace inside.
                Assert.False(run.StateMachine.IsAwakeableId(own[..^1] + "+"));
                Assert.False(run.StateMachine.IsAwakeableId(own + "="));
                Assert.False(run.StateMachine.IsAwakeableId(own[..10] + " " + own[10..]));
            });
    }

    private static void AssertAwakeableId(string id, uint signalId)
    {
        Assert.StartsWith("sign_1", id, StringComparison.Ordinal);
        var encoded = id["sign_1".Length..];
        Assert.Equal(38, encoded.Length); // 28 bytes, base64url without padding
        Assert.DoesNotContain('=', encoded);
        Assert.DoesNotContain('+', encoded);
        Assert.DoesNotContain('/', encoded);

        var raw = Base64Url.DecodeFromChars(encoded);
        Assert.Equal(28, raw.Length);
        Assert.Equal(Frames.InvocationId, raw[..24]);
        Assert.Equal(signalId, BinaryPrimitives.ReadUInt32BigEndian(raw.AsSpan(24)));

        // Independent encoding with the classic base64 alphabet.
        var expected = Convert.ToBase64String([.. Frames.InvocationId, 0, 0, 0, (byte)signalId])
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.Equal("sign_1" + expected, id);
    }
}

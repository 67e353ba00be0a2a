using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Restate.Sdk.Engine;
using Restate.Sdk.Protocol;

namespace Restate.Sdk.Tests.Engine;

public sealed class InputOutputTests
{
    [Theory]
    [InlineData(Mode.RequestResponse, 5)]
    [InlineData(Mode.RequestResponse, 6)]
    [InlineData(Mode.Bidi, 5)]
    [InlineData(Mode.Bidi, 6)]
    public void SysInput_Echo_WritesOutputThenEnd(Mode mode, int version)
    {
        var output = StateMachineTestCase.Create(version)
            .WithInput(Frames.Start(1), Frames.Input("\"hello\""))
            .Run(mode, run =>
            {
                Assert.True(run.StateMachine.IsReadyToExecute());
                Assert.Equal(StateMachineState.Replaying, run.StateMachine.State);
                var input = run.Input();
                Assert.Equal(StateMachineState.Processing, run.StateMachine.State);
                Assert.Equal("\"hello\"", Encoding.UTF8.GetString(input.Body.Span));
                run.StateMachine.SysWriteOutput(new NotificationValue.Success(input.Body));
                run.StateMachine.SysEnd();
            });

        output.Is(Expect.Output("\"hello\""), Expect.End());
        Assert.Equal(StateMachineState.Closed, output.StateMachine.State);
    }

    [Fact]
    public void SysInput_StartFields_SurfaceOnInput()
    {
        StateMachineTestCase.Create()
            .WithInput(Frames.Start(1, key: "my-key", retryCount: 3, durationMs: 1200), Frames.Input("{}"))
            .Run(run =>
            {
                var input = run.Input();
                Assert.Equal(Frames.DebugId, input.InvocationId);
                Assert.Equal(Frames.InvocationId, input.RawInvocationId.ToArray());
                Assert.Equal("my-key", input.Key);
                Assert.Equal(3u, input.RetryCountSinceLastStoredEntry);
                Assert.Equal("{}", Encoding.UTF8.GetString(input.Body.Span));
                Assert.Null(input.IdempotencyKey);
            });
    }

    [Fact]
    public void SysInput_StartWithIdempotencyKey_SurfacesIt()
    {
        // Field 12 of StartMessage, which V7 runtimes send; V5/V6 runtimes never set it.
        StateMachineTestCase.Create()
            .WithInput(Frames.Start(1, idempotencyKey: "order-42"), Frames.Input("{}"))
            .Run(run => Assert.Equal("order-42", run.Input().IdempotencyKey));
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void SysInput_V7Start_SurfacesScopeLimitKeyAndIdempotencyKey(Mode mode)
    {
        StateMachineTestCase.Create(7)
            .WithInput(Frames.Start(1, idempotencyKey: "order-42", scope: "tenant-a", limitKey: "tenant-a/gold"), Frames.Input("{}"))
            .Run(mode, run =>
            {
                var input = run.Input();
                Assert.Equal("order-42", input.IdempotencyKey);
                Assert.Equal("tenant-a", input.Scope);
                Assert.Equal("tenant-a/gold", input.LimitKey);
            });
    }

    [Theory]
    [InlineData(6)]
    [InlineData(7)]
    public void SysInput_StartWithoutScope_NullScopeAndLimitKey(int version)
    {
        StateMachineTestCase.Create(version)
            .WithInput(Frames.Start(1), Frames.Input("{}"))
            .Run(run =>
            {
                var input = run.Input();
                Assert.Null(input.Scope);
                Assert.Null(input.LimitKey);
                Assert.Null(input.IdempotencyKey);
            });
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void SysInput_Headers_SurfaceInOrder(Mode mode)
    {
        StateMachineTestCase.Create()
            .WithInput(Frames.Start(1), Frames.Input("1", ("x-restate-ingress-path", "/Greeter/greet"), ("x-custom", "a=b"), ("x-custom", "second")))
            .Run(mode, run =>
            {
                var input = run.Input();
                Assert.Equal(
                    [
                        KeyValuePair.Create("x-restate-ingress-path", "/Greeter/greet"),
                        KeyValuePair.Create("x-custom", "a=b"),
                        KeyValuePair.Create("x-custom", "second"),
                    ],
                    input.Headers);
            });
    }

    [Fact]
    public void SysInput_InputWithoutValue_EmptyBody()
    {
        StateMachineTestCase.Create()
            .WithInput(Frames.Start(1), Frames.Command(MessageType.InputCommand, new InputCommandMessage()))
            .Run(run => Assert.True(run.Input().Body.IsEmpty));
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void SysWriteOutput_ReplayedOutputCommand_OnlyEndIsWritten(Mode mode)
    {
        var output = StateMachineTestCase.Create()
            .WithInput(
                Frames.Start(2),
                Frames.Input("\"hello\""),
                Frames.Command(MessageType.OutputCommand, new OutputCommandMessage { Value = Frames.Value("\"hello\"") }))
            .RunHandler(mode, run =>
            {
                Assert.Equal(StateMachineState.Replaying, run.StateMachine.State);
                run.StateMachine.SysWriteOutput(Values.Success("\"hello\""));
                Assert.Equal(StateMachineState.Processing, run.StateMachine.State);
                run.StateMachine.SysEnd();
            });

        output.Is(Expect.End());
    }

    [Fact]
    public void SysInput_V6_UsesRandomSeedFromStartMessage()
    {
        StateMachineTestCase.Create(6)
            .WithInput(Frames.Start(1, seed: 0xDEADBEEF_12345678), Frames.Input("1"))
            .Run(run => Assert.Equal(0xDEADBEEF_12345678UL, run.Input().RandomSeed));
    }

    [Fact]
    public void SysInput_V5_DerivesStableSeedFromInvocationId()
    {
        ulong SeedOf(byte[] id) => SeedFor(5, Frames.Start(1, seed: 42, id: id));

        var seed = SeedOf(Frames.InvocationId);

        // V5 StartMessages carry no seed (field 9 is ignored even if present); the seed is the big-endian u64 prefix
        // of SHA-256(invocation id), the same derivation as shared-core's sha2 feature: stable across attempts and SDK versions.
        Assert.Equal(BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Frames.InvocationId)), seed);
        Assert.NotEqual(42UL, seed);
        Assert.Equal(seed, SeedOf(Frames.InvocationId));
        var otherId = (byte[])Frames.InvocationId.Clone();
        otherId[^1] ^= 1;
        Assert.NotEqual(seed, SeedOf(otherId));
    }

    [Theory]
    [InlineData(5, false)]
    [InlineData(6, true)]
    public void SysWriteOutput_FailureMetadata_WrittenOnlyOnV6(int version, bool metadataWritten)
    {
        var output = StateMachineTestCase.Started(version)
            .RunHandler(run =>
            {
                run.StateMachine.SysWriteOutput(Values.Failure(418, "teapot", ("reason", "short and stout"), ("k", "v")));
                run.StateMachine.SysEnd();
            });

        output.Is(
            Expect.OutputFailure(metadataWritten
                ? Frames.Fail(418, "teapot", ("reason", "short and stout"), ("k", "v"))
                : Frames.Fail(418, "teapot")),
            Expect.End());
    }

    [Fact]
    public void SysEnd_WithoutOutput_WritesEnd()
    {
        StateMachineTestCase.Started()
            .RunHandler(run =>
            {
                run.StateMachine.SysEnd();
                run.StateMachine.SysEnd(); // tolerated once closed
            })
            .Is(Expect.End());
    }

    [Fact]
    public void IsReadyToExecute_BeforeJournalComplete_False()
    {
        var stateMachine = new InvocationStateMachine(6);
        Assert.False(stateMachine.IsReadyToExecute());
        Assert.Equal(StateMachineState.WaitingPreFlight, stateMachine.State);
        stateMachine.NotifyInput(Frames.Start(2));
        Assert.False(stateMachine.IsReadyToExecute());
        stateMachine.NotifyInput(Frames.Input("1"));
        Assert.False(stateMachine.IsReadyToExecute());
        stateMachine.NotifyInput(Frames.Command(MessageType.SetStateCommand, new SetStateCommandMessage()));
        Assert.True(stateMachine.IsReadyToExecute());
        Assert.Equal(StateMachineState.Replaying, stateMachine.State);
        Assert.True(stateMachine.TakeOutput().IsEmpty);
    }

    [Fact]
    public void LastCommandIndex_CountsReplayedAndNewCommands()
    {
        StateMachineTestCase.Replaying(Frames.Command(MessageType.ClearAllStateCommand, new ClearAllStateCommandMessage()))
            .Run(run =>
            {
                Assert.Equal(-1, run.StateMachine.LastCommandIndex);
                Assert.Null(run.StateMachine.LastCommand(MessageType.InputCommand));
                run.Input();
                Assert.Equal(0, run.StateMachine.LastCommandIndex);
                run.StateMachine.SysStateClearAll();
                Assert.Equal(1, run.StateMachine.LastCommandIndex);
                run.StateMachine.SysAwakeable(); // no command
                Assert.Equal(1, run.StateMachine.LastCommandIndex);
                run.StateMachine.SysSleep(DateTimeOffset.UnixEpoch, "s");
                Assert.Equal(new RelatedCommand(2, MessageType.SleepCommand, "s"), run.StateMachine.LastCommand(MessageType.SleepCommand, "s"));
            });
    }

    [Theory]
    [InlineData(Mode.RequestResponse)]
    [InlineData(Mode.Bidi)]
    public void NotifyInput_CommandAck_Ignored(Mode mode)
    {
        StateMachineTestCase.Create()
            .WithInput(Frames.Start(1), Frames.Encode(MessageType.CommandAck, new CommandAckMessage { CommandIndex = 0 }), Frames.Input("1"))
            .Run(mode, run =>
            {
                Assert.True(run.StateMachine.IsReadyToExecute());
                run.Input();
                run.Finish();
            })
            .Is(Expect.Finished());
    }

    private static ulong SeedFor(int version, byte[] start)
    {
        ulong seed = 0;
        StateMachineTestCase.Create(version).WithInput(start, Frames.Input("1")).Run(run => seed = run.Input().RandomSeed);
        return seed;
    }
}

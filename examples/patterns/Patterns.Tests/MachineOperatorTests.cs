using Patterns.StatefulActors;
using Restate.Sdk;
using Restate.Sdk.Client;

namespace Patterns.Tests;

public sealed class MachineOperatorTests(ShortTimingsFixture restate) : IClassFixture<ShortTimingsFixture>
{
    private static readonly Serde<MachineStatus> StatusSerde = Serde.Json(PatternsJson.Default.MachineStatus);

    [Fact]
    public async Task SetUp_ThenTearDown_RunsBothTransitionsAndEndsDown()
    {
        var machine = restate.Client.ObjectClient<MachineOperatorIngressClient>(PatternsFixtureBase.NewId("machine"));

        var up = await machine.SetUpAsync();
        var statusWhileUp = await machine.GetStatusAsync();
        var down = await machine.TearDownAsync();

        Assert.Equal((MachineStatus.Up, MachineStatus.Up, MachineStatus.Down), (up, statusWhileUp, down));
        Assert.Equal(["up begins", "up ends", "down begins", "down ends"], restate.Machines.HistoryOf(machine.Key));
        Assert.Equal(MachineStatus.Down, await restate.GetStateAsync("MachineOperator", machine.Key, MachineOperator.Status));
    }

    [Fact]
    public async Task TearDown_MachineNeverSetUp_FailsWith409NamingTheMachineAndItsStatus()
    {
        var machine = restate.Client.ObjectClient<MachineOperatorIngressClient>(PatternsFixtureBase.NewId("machine"));

        var failure = await Assert.ThrowsAsync<TerminalException>(() => machine.TearDownAsync());

        Assert.Equal(409, failure.Code);
        Assert.Equal($"Cannot tear down machine '{machine.Key}': it is Down, not Up.", failure.Message);
        Assert.Empty(restate.Machines.HistoryOf(machine.Key));
    }

    [Fact]
    public async Task TransitionsSentWhileOneRuns_QueueAndRunOneAtATimeInArrivalOrder()
    {
        var machine = restate.Client.ObjectClient<MachineOperatorIngressClient>(PatternsFixtureBase.NewId("machine"));
        var gate = restate.MachineGates.Close(machine.Key);

        var setUp = await machine.Send().SetUpAsync();
        await gate.Reached.WaitAsync(TimeSpan.FromSeconds(30));
        // The first set up is bringing the machine up (held at the gate): the next two must wait for it, and the second
        // set up must see its outcome rather than bring the machine up a second time.
        var setUpAgain = await machine.Send().SetUpAsync();
        var tearDown = await machine.Send().TearDownAsync();
        var queued = await restate.Client.GetOutputAsync(setUpAgain.InvocationId, StatusSerde);
        gate.Open();

        Assert.False(queued.IsReady);
        Assert.Equal(MachineStatus.Up, await restate.Client.AttachAsync(setUp.InvocationId, StatusSerde));
        var refused = await Assert.ThrowsAsync<TerminalException>(() => restate.Client.AttachAsync(setUpAgain.InvocationId, StatusSerde));
        Assert.Equal((409, $"Cannot set up machine '{machine.Key}': it is Up, not Down."), (refused.Code, refused.Message));
        Assert.Equal(MachineStatus.Down, await restate.Client.AttachAsync(tearDown.InvocationId, StatusSerde));
        Assert.Equal(["up begins", "up ends", "down begins", "down ends"], restate.Machines.HistoryOf(machine.Key));
    }

    [Fact]
    public async Task Status_WhileATransitionRuns_AnswersAtOnceWithTheStatusBeforeIt()
    {
        var machine = restate.Client.ObjectClient<MachineOperatorIngressClient>(PatternsFixtureBase.NewId("machine"));
        var gate = restate.MachineGates.Close(machine.Key);

        var setUp = await machine.Send().SetUpAsync();
        await gate.Reached.WaitAsync(TimeSpan.FromSeconds(30));
        // A shared handler does not queue behind the exclusive one.
        var during = await machine.GetStatusAsync();
        gate.Open();

        Assert.Equal(MachineStatus.Down, during);
        Assert.Equal(MachineStatus.Up, await restate.Client.AttachAsync(setUp.InvocationId, StatusSerde));
    }
}

using Patterns.StatefulActors;
using Restate.Sdk;

namespace Patterns.Tests;

public sealed class MachineOperatorTests(ShortTimingsFixture restate) : IClassFixture<ShortTimingsFixture>
{
    [Fact]
    public async Task SetUp_ThenTearDown_EachTransitionSurvivesACrashOfTheMachineAndTheMachineEndsDown()
    {
        var machine = restate.Client.ObjectClient<MachineOperatorIngressClient>(PatternsFixtureBase.NewId("machine"));

        var up = await machine.SetUpAsync();
        var statusWhileUp = await machine.GetStatusAsync();
        var down = await machine.TearDownAsync();

        Assert.Equal(($"{machine.Key} is now running", MachineStatus.Up, $"{machine.Key} is now down"), (up, statusWhileUp, down));
        // Every operation crashed once (ShortTimingsFixture), and Restate retried it until it went through.
        Assert.Equal(
            ["up begins", "up crashed", "up begins", "up ends", "down begins", "down crashed", "down begins", "down ends"],
            restate.Machines.HistoryOf(machine.Key));
        Assert.Equal(MachineStatus.Down, await restate.GetStateAsync("MachineOperator", machine.Key, MachineOperator.Status));
    }

    [Fact]
    public async Task TearDown_MachineNeverSetUp_AnswersNotRunningAndDoesNothing()
    {
        var machine = restate.Client.ObjectClient<MachineOperatorIngressClient>(PatternsFixtureBase.NewId("machine"));

        var answer = await machine.TearDownAsync();

        Assert.Equal($"{machine.Key} is not running", answer);
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
        // set up must see its outcome (a duplicate) rather than bring the machine up a second time.
        var setUpAgain = await machine.Send().SetUpAsync();
        var tearDown = await machine.Send().TearDownAsync();
        var queued = await restate.Client.GetOutputAsync(setUpAgain.InvocationId, Serde.String);
        gate.Open();

        Assert.False(queued.IsReady);
        Assert.Equal($"{machine.Key} is now running", await restate.Client.AttachAsync(setUp.InvocationId, Serde.String));
        Assert.Equal($"{machine.Key} is already running", await restate.Client.AttachAsync(setUpAgain.InvocationId, Serde.String));
        Assert.Equal($"{machine.Key} is now down", await restate.Client.AttachAsync(tearDown.InvocationId, Serde.String));
        Assert.Equal(
            ["up begins", "up crashed", "up begins", "up ends", "down begins", "down crashed", "down begins", "down ends"],
            restate.Machines.HistoryOf(machine.Key));
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
        Assert.Equal($"{machine.Key} is now running", await restate.Client.AttachAsync(setUp.InvocationId, Serde.String));
    }
}

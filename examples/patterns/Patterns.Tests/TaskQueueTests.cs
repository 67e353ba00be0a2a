using Patterns.TaskQueue;
using Restate.Sdk;

namespace Patterns.Tests;

public sealed class TaskQueueTests(ShortTimingsFixture restate) : IClassFixture<ShortTimingsFixture>
{
    [Fact]
    public async Task Submit_SameTaskTwice_QueuesItOnceAndItsResultIsFoundByTaskId()
    {
        var submitter = new TaskSubmitter(restate.Client);
        var task = new TaskRequest(PatternsFixtureBase.NewId("task"), "resize images");

        var first = await submitter.SubmitAsync(task);
        var again = await submitter.SubmitAsync(task);
        var result = await submitter.AttachAsync(task.TaskId);
        var output = await submitter.GetOutputAsync(task.TaskId);

        Assert.StartsWith("inv_", first.InvocationId, StringComparison.Ordinal);
        Assert.Equal((first.InvocationId, false, true), (again.InvocationId, first.PreviouslyAccepted, again.PreviouslyAccepted));
        Assert.Equal(new TaskResult(task.TaskId, "RESIZE IMAGES"), result);
        Assert.Equal(new InvocationOutput<TaskResult>(true, result), output);
        Assert.Single(restate.Tasks.ExecutionsOf(task.TaskId));
    }

    [Fact]
    public async Task Submit_WithDelay_IsNotRunBeforeItsExecutionTime()
    {
        var submitter = new TaskSubmitter(restate.Client);
        var task = new TaskRequest(PatternsFixtureBase.NewId("task"), "send newsletter");

        var submitted = await submitter.SubmitAsync(task, delay: TimeSpan.FromSeconds(1));
        var early = await submitter.GetOutputAsync(task.TaskId);
        var result = await submitter.AttachAsync(task.TaskId);

        Assert.False(early.IsReady);
        Assert.Equal(new TaskResult(task.TaskId, "SEND NEWSLETTER"), result);
        Assert.NotNull(submitted.ExecutionTime);
        var executed = Assert.Single(restate.Tasks.ExecutionsOf(task.TaskId));
        // The server's execution time is rounded to milliseconds; the timer fires at it or later.
        Assert.True(executed >= submitted.ExecutionTime.Value.AddMilliseconds(-5), $"ran at {executed:O}, scheduled for {submitted.ExecutionTime:O}");
    }

    [Fact]
    public async Task Attach_TaskNeverSubmitted_FailsWith404()
    {
        var submitter = new TaskSubmitter(restate.Client);

        var failure = await Assert.ThrowsAsync<TerminalException>(() => submitter.AttachAsync(PatternsFixtureBase.NewId("task")));

        Assert.Equal(404, failure.Code);
    }
}

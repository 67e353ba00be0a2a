using Patterns.DataUpload;
using Restate.Sdk;

namespace Patterns.Tests;

public sealed class UploadServiceTests(ShortTimingsFixture restate) : IClassFixture<ShortTimingsFixture>
{
    [Fact]
    public async Task Upload_FinishedWithinTheWaitLimit_AnswersTheUrlAndSendsNoEmail()
    {
        var (upload, email) = (PatternsFixtureBase.NewId("upload"), $"{PatternsFixtureBase.NewId("user")}@example.com");

        var answer = await restate.Client.ServiceClient<UploadServiceIngressClient>().UploadAsync(new UploadRequest(upload, email, 0));

        Assert.Equal(new UploadAnswer($"https://storage.example.com/uploads/{upload}/", "Uploaded."), answer);
        Assert.Equal(0, restate.Uploads.EmailCountOf(email));
    }

    [Fact]
    public async Task Upload_SlowerThanTheWaitLimit_AnswersThatTheUrlWillBeEmailedAndEmailsItWhenDone()
    {
        var (upload, email) = (PatternsFixtureBase.NewId("upload"), $"{PatternsFixtureBase.NewId("user")}@example.com");

        // 20 MB take twice the wait limit.
        var answer = await restate.Client.ServiceClient<UploadServiceIngressClient>().UploadAsync(new UploadRequest(upload, email, 20));
        var workflow = restate.Client.WorkflowClient<DataUploadWorkflowIngressClient>(upload);
        var stillRunning = await workflow.GetOutputAsync();
        var url = await workflow.AttachAsync();
        var sent = await restate.Uploads.FirstEmailToAsync(email).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(new UploadAnswer(null, $"The upload takes longer than 1 s: its URL will be emailed to {email}."), answer);
        Assert.False(stillRunning.IsReady);
        Assert.Equal($"https://storage.example.com/uploads/{upload}/", url);
        Assert.Equal(new SentEmail(email, $"Your data is uploaded: {url}"), sent);
        Assert.Equal(1, restate.Uploads.EmailCountOf(email));
    }

    [Fact]
    public async Task ResultAsEmail_UploadFailed_FailsWithItsErrorInsteadOfWaiting()
    {
        var workflow = restate.Client.WorkflowClient<DataUploadWorkflowIngressClient>(PatternsFixtureBase.NewId("upload"));
        var email = $"{PatternsFixtureBase.NewId("user")}@example.com";

        var failed = await Assert.ThrowsAsync<TerminalException>(() => workflow.RunAsync(-1));
        var notMailed = await Assert.ThrowsAsync<TerminalException>(() => workflow.ResultAsEmailAsync(email));

        Assert.Equal((400, $"An upload's sizeMb is from 0 to {UploadService.MaxSizeMb}."), (failed.Code, failed.Message));
        Assert.Equal(failed.Message, notMailed.Message);
        Assert.Equal(0, restate.Uploads.EmailCountOf(email));
    }

    [Fact]
    public async Task Upload_WithoutEmailAddress_FailsWith400()
    {
        var failure = await Assert.ThrowsAsync<TerminalException>(() =>
            restate.Client.ServiceClient<UploadServiceIngressClient>().UploadAsync(new UploadRequest(PatternsFixtureBase.NewId("upload"), "", 1)));

        Assert.Equal((400, $"An upload needs an uploadId, an email address and a sizeMb from 0 to {UploadService.MaxSizeMb}."), (failure.Code, failure.Message));
    }

    [Fact]
    public async Task UploadClient_FinishedWithinTheWaitLimit_AnswersTheUrlAndSendsNoEmail()
    {
        var (upload, email) = (PatternsFixtureBase.NewId("upload"), $"{PatternsFixtureBase.NewId("user")}@example.com");

        var answer = await new UploadClient(restate.Client, ShortTimingsFixture.UploadWaitLimit).UploadAsync(new UploadRequest(upload, email, 0));

        Assert.Equal(new UploadAnswer($"https://storage.example.com/uploads/{upload}/", "Uploaded."), answer);
        Assert.Equal(0, restate.Uploads.EmailCountOf(email));
    }

    [Fact]
    public async Task UploadClient_SlowerThanTheWaitLimit_StopsWaitingAndHasTheUrlEmailedWhenDone()
    {
        var (upload, email) = (PatternsFixtureBase.NewId("upload"), $"{PatternsFixtureBase.NewId("user")}@example.com");

        // 20 MB take twice the wait limit.
        var answer = await new UploadClient(restate.Client, ShortTimingsFixture.UploadWaitLimit).UploadAsync(new UploadRequest(upload, email, 20));
        var stillRunning = await restate.Client.WorkflowClient<DataUploadWorkflowIngressClient>(upload).GetOutputAsync();
        var sent = await restate.Uploads.FirstEmailToAsync(email).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(new UploadAnswer(null, $"The upload takes longer than 1 s: its URL will be emailed to {email}."), answer);
        Assert.False(stillRunning.IsReady);
        Assert.Equal(new SentEmail(email, $"Your data is uploaded: https://storage.example.com/uploads/{upload}/"), sent);
        Assert.Equal(1, restate.Uploads.EmailCountOf(email));
    }
}

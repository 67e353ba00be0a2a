using Patterns.EventProcessing;
using Restate.Sdk;

namespace Patterns.Tests;

public sealed class UserFeedTests(UserFeedFixture restate) : IClassFixture<UserFeedFixture>
{
    [Fact]
    public async Task ProcessPost_ModerationPendingTwice_CreatesThePostOnceChecksThreeTimesThenUpdatesTheFeed()
    {
        var user = PatternsFixtureBase.NewId("user");

        await restate.Client.ObjectClient<UserFeedIngressClient>(user).ProcessPostAsync(new SocialMediaPost("Hi!", "public"));

        // Every await suspended and replayed (AlwaysSuspend): the journal gave back the post id and each status, so the
        // service saw one creation and exactly the checks the handler made, with a durable sleep after each pending one.
        Assert.Equal(["created 'Hi!'", "pending 'Hi!'", "pending 'Hi!'", "done 'Hi!'", "in feed 'Hi!'"], restate.Content.HistoryOf(user));
    }

    [Fact]
    public async Task ProcessPost_FirstPostHeldInModeration_OtherUsersPostGoesThroughAndTheSecondPostWaitsItsTurn()
    {
        var (held, other) = (PatternsFixtureBase.NewId("held"), PatternsFixtureBase.NewId("other"));
        restate.Content.HoldForReview(held);

        // As a Kafka subscription delivers events: one invocation per event, keyed by user, none waited for.
        await restate.Client.ObjectClient<UserFeedIngressClient>(held).Send().ProcessPostAsync(new SocialMediaPost("first", "public"));
        await restate.Client.ObjectClient<UserFeedIngressClient>(held).Send().ProcessPostAsync(new SocialMediaPost("second", "public"));
        await restate.Client.ObjectClient<UserFeedIngressClient>(other).Send().ProcessPostAsync(new SocialMediaPost("elsewhere", "public"));
        await Eventually.HoldsAsync(
            () => restate.Content.FeedOf(other).Count == 1 && restate.Content.HistoryOf(held).Contains("pending 'first'"),
            "the other user's post in their feed while the held user's first post is pending");

        // The held user's first post is still waiting for moderation, and their second has not even started.
        Assert.Empty(restate.Content.FeedOf(held));
        Assert.DoesNotContain("created 'second'", restate.Content.HistoryOf(held));

        restate.Content.EndReview(held);
        await Eventually.HoldsAsync(() => restate.Content.FeedOf(held).Count == 2, "both held posts in the feed");

        Assert.Equal(["first", "second"], restate.Content.FeedOf(held));
        var history = restate.Content.HistoryOf(held).ToList();
        Assert.True(history.IndexOf("in feed 'first'") < history.IndexOf("created 'second'"), string.Join(", ", history));
        Assert.Equal(2, history.Count(entry => entry.StartsWith("created", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ProcessPost_EmptyContent_Fails400AndCreatesNothing()
    {
        var user = PatternsFixtureBase.NewId("user");

        var failure = await Assert.ThrowsAsync<TerminalException>(
            () => restate.Client.ObjectClient<UserFeedIngressClient>(user).ProcessPostAsync(new SocialMediaPost(" ", "public")));

        Assert.Equal((400, "A post needs a non-empty 'content'"), (failure.Code, failure.Message));
        Assert.Empty(restate.Content.HistoryOf(user));
    }
}

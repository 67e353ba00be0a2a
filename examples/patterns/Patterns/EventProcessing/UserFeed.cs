using Microsoft.Extensions.Options;
using Restate.Sdk;

namespace Patterns.EventProcessing;

/// <summary>
/// A user's feed, keyed by user id, fed by the user's posts as events (a Kafka subscription keyed by user, or calls
/// through the ingress): each post is created, waits for moderation and goes into the feed, exactly once.
/// </summary>
// A virtual object runs one exclusive handler per key at a time, and queues the rest in arrival order: a user's posts
// are processed one after the other, in order, while a post waiting for moderation holds up no other user's posts.
[VirtualObject("UserFeed")]
public sealed partial class UserFeed(IContentService content, IOptions<PatternsOptions> options)
{
    /// <summary>Creates the post, waits until its moderation is done, then puts it into the user's feed.</summary>
    /// <exception cref="TerminalException">The post has no content (400).</exception>
    [Handler("processPost")]
    public async Task ProcessPostAsync(ObjectContext ctx, SocialMediaPost post)
    {
        if (string.IsNullOrWhiteSpace(post?.Content))
        {
            throw new TerminalException("A post needs a non-empty 'content'", 400);
        }
        var userId = ctx.Key;

        // Journaled: a retry after a crash gets the same post id back instead of creating the post again.
        var postId = await ctx.RunAsync("create post", cancellation => content.CreatePostAsync(userId, post, cancellation));

        // Each answer is journaled and each wait is a durable timer: while it sleeps the invocation holds no thread (on
        // Lambda, no function), and after a crash it resumes polling where it was.
        while (await ctx.RunAsync("moderation status", cancellation => content.GetModerationStatusAsync(postId, cancellation)) == ModerationStatus.Pending)
        {
            await ctx.SleepAsync(options.Value.ModerationPollInterval, "wait for moderation");
        }

        await ctx.RunAsync("update feed", cancellation => content.AddToFeedAsync(userId, postId, cancellation));
    }
}

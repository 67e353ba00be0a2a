using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Patterns.EventProcessing;

/// <summary>
/// The content service in this process, standing in for a real one: a post is pending for its first
/// <see cref="PatternsOptions.ModerationChecks"/> status checks, then done. A user's posts can also be held for review
/// by hand (<see cref="HoldForReview"/>): they stay pending until <see cref="EndReview"/>. What happened to each user's
/// posts is kept, to see the order.
/// </summary>
public sealed partial class InMemoryContentService(IOptions<PatternsOptions> options, ILogger<InMemoryContentService> logger) : IContentService
{
    private readonly ConcurrentDictionary<string, StoredPost> _posts = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _histories = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _feeds = new();
    private readonly ConcurrentDictionary<string, bool> _heldUsers = new();

    /// <summary>What the service did with the user's posts, in order (<c>created 'Hi'</c>, <c>pending 'Hi'</c>, <c>done 'Hi'</c>, <c>in feed 'Hi'</c>).</summary>
    public IReadOnlyList<string> HistoryOf(string userId) => _histories.TryGetValue(userId, out var history) ? [.. history] : [];

    /// <summary>The contents of the posts in the user's feed, oldest first.</summary>
    public IReadOnlyList<string> FeedOf(string userId) => _feeds.TryGetValue(userId, out var feed) ? [.. feed] : [];

    /// <summary>A moderator takes the user's posts in hand: they stay pending, however often they are checked, until <see cref="EndReview"/>.</summary>
    public void HoldForReview(string userId) => _heldUsers[userId] = true;

    /// <summary>The moderator is done with the user's posts: they are moderated as usual from the next check on.</summary>
    public void EndReview(string userId) => _heldUsers.TryRemove(userId, out _);

    /// <inheritdoc />
    public Task<string> CreatePostAsync(string userId, SocialMediaPost post, CancellationToken cancellationToken)
    {
        var postId = Guid.NewGuid().ToString();
        _posts[postId] = new StoredPost(userId, post.Content);
        Record(userId, $"created '{post.Content}'");
        return Task.FromResult(postId);
    }

    /// <inheritdoc />
    public Task<ModerationStatus> GetModerationStatusAsync(string postId, CancellationToken cancellationToken)
    {
        var post = _posts[postId];
        var checks = Interlocked.Increment(ref post.Checks);
        var status = checks <= options.Value.ModerationChecks || _heldUsers.ContainsKey(post.UserId) ? ModerationStatus.Pending : ModerationStatus.Done;
        Record(post.UserId, $"{(status == ModerationStatus.Pending ? "pending" : "done")} '{post.Content}'");
        return Task.FromResult(status);
    }

    /// <inheritdoc />
    public Task AddToFeedAsync(string userId, string postId, CancellationToken cancellationToken)
    {
        var content = _posts[postId].Content;
        _feeds.GetOrAdd(userId, _ => new ConcurrentQueue<string>()).Enqueue(content);
        Record(userId, $"in feed '{content}'");
        return Task.CompletedTask;
    }

    private void Record(string userId, string what)
    {
        _histories.GetOrAdd(userId, _ => new ConcurrentQueue<string>()).Enqueue(what);
        LogPost(userId, what);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: post {What}")]
    private partial void LogPost(string userId, string what);

    private sealed class StoredPost(string userId, string content)
    {
        // A field, so status checks can count with Interlocked.
        public int Checks;

        public string UserId { get; } = userId;

        public string Content { get; } = content;
    }
}

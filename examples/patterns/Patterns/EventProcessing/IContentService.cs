namespace Patterns.EventProcessing;

/// <summary>The social network's content service: it stores posts, moderates them, and keeps each user's feed.</summary>
public interface IContentService
{
    /// <summary>Stores a new post, pending moderation; every call creates another post.</summary>
    /// <returns>The post's id.</returns>
    Task<string> CreatePostAsync(string userId, SocialMediaPost post, CancellationToken cancellationToken);

    /// <summary>Asks whether the post's moderation is done.</summary>
    Task<ModerationStatus> GetModerationStatusAsync(string postId, CancellationToken cancellationToken);

    /// <summary>Puts the post at the top of the user's feed.</summary>
    Task AddToFeedAsync(string userId, string postId, CancellationToken cancellationToken);
}

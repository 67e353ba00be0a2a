namespace Patterns.EventProcessing;

/// <summary>Where a post is in content moderation.</summary>
public enum ModerationStatus
{
    /// <summary>Not looked at yet: the post must not reach the feed.</summary>
    Pending,

    /// <summary>Moderated: the post may go into the feed.</summary>
    Done,
}

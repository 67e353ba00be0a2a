namespace Patterns.EventProcessing;

/// <summary>A post a user published: its text and free-form metadata (<c>"public"</c>, …).</summary>
public sealed record SocialMediaPost(string Content, string? Metadata);

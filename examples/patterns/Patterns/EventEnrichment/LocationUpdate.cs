namespace Patterns.EventEnrichment;

/// <summary>Where a package was seen, and when (as the carrier reports it: <c>"2024-10-10 13:00"</c>).</summary>
public sealed record LocationUpdate(string Timestamp, string Location);

namespace Patterns.EventEnrichment;

/// <summary>A package as tracked: its destination, from the registration, and where it has been seen since, oldest first.</summary>
public sealed record PackageInfo(string FinalDestination, IReadOnlyList<LocationUpdate> Locations);

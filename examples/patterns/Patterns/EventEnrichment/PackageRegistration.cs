namespace Patterns.EventEnrichment;

/// <summary>A seller registering a package: where it is going.</summary>
public sealed record PackageRegistration(string FinalDestination);

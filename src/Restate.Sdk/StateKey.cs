namespace Restate.Sdk;

/// <summary>A typed name for a piece of virtual-object or workflow state.</summary>
/// <typeparam name="T">The stored value type; use a nullable type to tell "absent" from a default value.</typeparam>
/// <param name="Name">The state key as Restate stores it.</param>
/// <param name="Serde">How the value is stored.</param>
public sealed record StateKey<T>(string Name, Serde<T> Serde);

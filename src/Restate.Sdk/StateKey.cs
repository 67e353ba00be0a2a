namespace Restate.Sdk;

/// <summary>A typed name for a piece of virtual-object or workflow state.</summary>
/// <typeparam name="T">
/// The stored value type; use a nullable type to tell "absent" from a default value (<c>StateKey&lt;int?&gt;</c> reads
/// an absent key as null and a stored 0 as 0).
/// </typeparam>
/// <param name="Name">The state key as Restate stores it.</param>
/// <param name="Serde">
/// How the value is stored; null: the serde the endpoint finds for <typeparamref name="T"/> (built-in, or from a JSON
/// context registered with <c>WithJsonContext</c>), resolved when the key is first used in an invocation.
/// </param>
public sealed record StateKey<T>(string Name, Serde<T>? Serde = null);

namespace Restate.Sdk;

/// <summary>
/// Declares a Restate service: stateless handlers, any number running at once. Its handlers take a
/// <see cref="Context"/>.
/// </summary>
/// <example>
/// <code>
/// [Service("trips")]
/// public partial class Trips
/// {
///     [Handler("reserve")]
///     public async Task&lt;TripResult&gt; ReserveAsync(Context ctx, TripRequest request) { … }
/// }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ServiceAttribute : RestateServiceAttribute
{
    /// <summary>Declares a service.</summary>
    /// <param name="name">The Restate name (first path segment at the ingress); null for the class name.</param>
    public ServiceAttribute(string? name = null)
        : base(name)
    {
    }
}

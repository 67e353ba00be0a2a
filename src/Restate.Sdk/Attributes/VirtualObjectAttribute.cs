namespace Restate.Sdk;

/// <summary>
/// Declares a Restate virtual object: keyed state; exclusive handlers (taking an <see cref="ObjectContext"/>) run one
/// at a time per key, <see cref="SharedAttribute">shared</see> handlers (taking a <see cref="SharedObjectContext"/>)
/// run concurrently and only read state.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class VirtualObjectAttribute : RestateServiceAttribute
{
    /// <summary>Declares a virtual object.</summary>
    /// <param name="name">The Restate name; null for the class name.</param>
    public VirtualObjectAttribute(string? name = null)
        : base(name)
    {
    }
}

namespace Restate.Sdk;

/// <summary>The base of <see cref="ServiceAttribute"/>, <see cref="VirtualObjectAttribute"/> and <see cref="WorkflowAttribute"/>.</summary>
/// <remarks>
/// The class must be <c>partial</c>: the Restate source generator adds a static <c>Definition</c> factory to it and
/// emits a typed client <c>&lt;Class&gt;Client</c> next to it. The default Restate name is the class name.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public abstract class RestateServiceAttribute : RestateOptionsAttribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="name">The Restate name; null for the class name.</param>
    private protected RestateServiceAttribute(string? name)
        : base(name)
    {
    }

    /// <summary>
    /// The source-generated <c>JsonSerializerContext</c> that serializes this class's handler inputs and outputs;
    /// overrides the assembly's <see cref="RestateSerializerAttribute"/>.
    /// </summary>
    public Type? Serializer { get; set; }
}

namespace Restate.Sdk;

/// <summary>
/// Names the source-generated <c>JsonSerializerContext</c> through which the generated definitions and clients of
/// this assembly serialize handler inputs and outputs (Native AOT safe); a class can override it with
/// <see cref="RestateServiceAttribute.Serializer"/>.
/// </summary>
/// <remarks>
/// Every input and output type other than <see cref="string"/>, <see cref="int"/>, <see cref="long"/>,
/// <see cref="bool"/>, <c>byte[]</c> and <c>ReadOnlyMemory&lt;byte&gt;</c> (which use <see cref="Serde"/>'s built-in
/// serdes), and other than a payload with its own <see cref="SerdeAttribute"/>, must be in the context, through a
/// <c>[JsonSerializable(typeof(…))]</c> of the context or as part of such a type; the generator reports
/// <c>RESTATE015</c> otherwise.
/// </remarks>
/// <example><c>[assembly: RestateSerializer(typeof(AppJson))]</c></example>
/// <param name="context">A class deriving from <c>System.Text.Json.Serialization.JsonSerializerContext</c>.</param>
[AttributeUsage(AttributeTargets.Assembly, Inherited = false)]
public sealed class RestateSerializerAttribute(Type context) : Attribute
{
    /// <summary>The JSON serializer context.</summary>
    public Type Context { get; } = context;
}

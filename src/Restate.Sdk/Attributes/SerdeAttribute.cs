namespace Restate.Sdk;

/// <summary>
/// Serializes a handler's input (on the input parameter) or output (on the return value, <c>[return: Serde(…)]</c>)
/// with a <see cref="Serde{T}"/> of your own instead of the built-in or JSON-context serde the generator would pick.
/// </summary>
/// <remarks>
/// <para>
/// The type must derive from <see cref="Serde{T}"/> for exactly the payload type (the input parameter's type, or the
/// <c>T</c> of <c>Task&lt;T&gt;</c>/<c>ValueTask&lt;T&gt;</c>), be a non-abstract, closed class reachable from the
/// generated code, and have a public parameterless constructor (the rule of System.Text.Json's
/// <c>[JsonConverter(typeof(…))]</c>): the generated code creates one instance per input or output it serializes and
/// shares it between the definition and the typed clients. The generator reports <c>RESTATE021</c> and
/// <c>RESTATE022</c> otherwise.
/// </para>
/// <para>
/// The serde decides the bytes, its <see cref="Serde{T}.ContentType"/> the manifest's content type (unless
/// <see cref="HandlerAttribute.Accept"/> or <see cref="HandlerAttribute.ContentType"/> overrides it) and its
/// <see cref="Serde{T}.JsonSchema"/> the published schema. A failure to read the input that is not a
/// <see cref="TerminalException"/> answers 400, as for the other serdes; throw a <see cref="TerminalException"/> with
/// code 400 to choose the message.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// [Handler("reserve")]
/// public static Task&lt;TripResult&gt; ReserveAsync(Context ctx, [Serde(typeof(TripRequestSerde))] TripRequest request) { … }
///
/// [Handler("render", ContentType = "text/html")]
/// [return: Serde(typeof(HtmlSerde))]
/// public static Task&lt;string&gt; RenderAsync(Context ctx) { … }
/// </code>
/// </example>
/// <param name="serdeType">A class deriving from <see cref="Serde{T}"/> with a public parameterless constructor.</param>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.ReturnValue, Inherited = false)]
public sealed class SerdeAttribute(Type serdeType) : Attribute
{
    /// <summary>The serde class.</summary>
    public Type SerdeType { get; } = serdeType;
}

namespace Restate.Sdk;

/// <summary>
/// Makes a method of a <see cref="ServiceAttribute">service</see>, <see cref="VirtualObjectAttribute">virtual
/// object</see> or <see cref="WorkflowAttribute">workflow</see> class a Restate handler.
/// </summary>
/// <remarks>
/// The method (instance or static) takes the context (<see cref="Context"/>, <see cref="ObjectContext"/>,
/// <see cref="SharedObjectContext"/>, <see cref="WorkflowContext"/> or <see cref="SharedWorkflowContext"/>, per the
/// class kind and <see cref="SharedAttribute"/>) and at most one input, and returns <see cref="Task"/>,
/// <see cref="Task{TResult}"/>, <see cref="ValueTask"/> or <see cref="ValueTask{TResult}"/>. The default Restate
/// name is the method name without its <c>Async</c> suffix (<c>ReserveAsync</c> → <c>Reserve</c>).
/// <para>
/// A raw body is a <c>byte[]</c> or <see cref="ReadOnlyMemory{T}">ReadOnlyMemory&lt;byte&gt;</see> input, passed
/// through as it arrived; the request's headers, including its <c>content-type</c>, are in
/// <c>ctx.Request.Headers</c>. <see cref="Accept"/> and <see cref="ContentType"/> set the content types
/// restate-server checks and sets at the ingress; <see cref="SerdeAttribute"/> picks your own serde for the input
/// or the output.
/// </para>
/// </remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class HandlerAttribute : RestateOptionsAttribute
{
    /// <summary>Declares a handler.</summary>
    /// <param name="name">The Restate name (the path segment after the service, or the key); null for the method name without <c>Async</c>.</param>
    public HandlerAttribute(string? name = null)
        : base(name)
    {
    }

    /// <summary>
    /// The request content type restate-server admits at the ingress for this handler's input, instead of the input
    /// serde's (<c>application/json</c> for JSON, <c>application/octet-stream</c> for raw bytes): one media type
    /// <c>type/subtype</c>, <c>type/*</c> or <c>*/*</c>, in lower case and without parameters (the server compares
    /// type and subtype as written and ignores the request's parameters such as <c>charset</c>). A request with another
    /// content type is refused with 400 before the handler runs; one without body and <c>content-type</c> is let through.
    /// </summary>
    /// <remarks>The manifest's <c>input.contentType</c>; checked at compile time (<c>RESTATE020</c>).</remarks>
    public string? Accept { get; set; }

    /// <summary>
    /// The content type restate-server sets on the ingress response of this handler, instead of the output serde's,
    /// e.g. <c>text/plain</c> or <c>application/json; charset=utf-8</c>. It labels the bytes the output serde writes
    /// and does not change them: to answer plain text, return <c>byte[]</c> or use a <see cref="SerdeAttribute">text
    /// serde</see> rather than <see cref="string"/>, which is written as a JSON string.
    /// </summary>
    /// <remarks>The manifest's <c>output.contentType</c>; checked at compile time (<c>RESTATE020</c>).</remarks>
    public string? ContentType { get; set; }
}

namespace Restate.Sdk.Generators.Model;

internal enum ServiceKind
{
    Service,
    VirtualObject,
    Workflow,
}

internal enum HandlerKind
{
    Exclusive,
    Shared,
    WorkflowRun,
}

/// <summary>What the generator emits for one <c>[Service]</c>/<c>[VirtualObject]</c>/<c>[Workflow]</c> class.</summary>
/// <param name="Namespace">The class's namespace, or null for the global namespace.</param>
/// <param name="ClassName">The C# class name.</param>
/// <param name="TypeKeyword">"class" or "record", for the generated partial declaration.</param>
/// <param name="IsStatic">A static class: its handlers are static and its definition needs no instance.</param>
/// <param name="ClientAccessibility">"public", or "internal" when the class or a payload type is not public.</param>
/// <param name="ServiceName">The Restate name.</param>
/// <param name="Kind">Service, virtual object or workflow.</param>
/// <param name="Options">Service-level options.</param>
/// <param name="Handlers">The valid handlers, in declaration order.</param>
/// <param name="HintName">The generated file's name.</param>
/// <param name="JsonContext">The JSON serializer context of the class or the assembly, fully qualified; null when none is named.</param>
internal sealed record ServiceModel(
    string? Namespace,
    string ClassName,
    string TypeKeyword,
    bool IsStatic,
    string ClientAccessibility,
    string ServiceName,
    ServiceKind Kind,
    OptionsModel Options,
    EquatableArray<HandlerModel> Handlers,
    string HintName,
    string? JsonContext = null);

/// <summary>One handler: how the definition invokes it and how the client calls it.</summary>
/// <param name="MethodName">The C# method name (and the client's call method name).</param>
/// <param name="SendMethodName">The send client's method name (<see cref="MethodName"/> without <c>Async</c>).</param>
/// <param name="HandlerName">The Restate name.</param>
/// <param name="Kind">Exclusive, shared or workflow run.</param>
/// <param name="IsStatic">A static method, invoked on the class rather than on an instance.</param>
/// <param name="Input">The input payload, or null when the handler takes none.</param>
/// <param name="InputParameterName">The C# name of the input parameter.</param>
/// <param name="Output">The output payload, or null for <c>Task</c>/<c>ValueTask</c>.</param>
/// <param name="ReturnsValueTask">The method returns a <c>ValueTask</c> (the definition adapts it to a <c>Task</c>).</param>
/// <param name="Options">Handler-level options.</param>
internal sealed record HandlerModel(
    string MethodName,
    string SendMethodName,
    string HandlerName,
    HandlerKind Kind,
    bool IsStatic,
    PayloadModel? Input,
    string? InputParameterName,
    PayloadModel? Output,
    bool ReturnsValueTask,
    OptionsModel Options);

/// <summary>An input or output type and the serde expression that encodes it.</summary>
/// <param name="TypeName">Fully qualified C# type, with nullable annotations.</param>
/// <param name="SerdeExpression">
/// C# expression of type <c>Serde&lt;T&gt;</c>; its JSON schema comes from System.Text.Json at run time, not from here.
/// </param>
internal sealed record PayloadModel(string TypeName, string SerdeExpression);

/// <summary>The pipeline's output for one class: the model to emit (null when nothing can be), and diagnostics.</summary>
internal sealed record ServiceResult(ServiceModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);

using Microsoft.CodeAnalysis;

namespace Restate.Sdk.Generators;

/// <summary>The generator's diagnostics (RESTATE001–RESTATE022); docs/generator.md explains each one.</summary>
internal static class Diagnostics
{
    private const string Category = "Restate";

    public static readonly DiagnosticDescriptor ClassNotPartial = Error("RESTATE001", "Restate service class must be partial",
        "'{0}' must be partial: the Restate generator adds its Definition factory to it");

    public static readonly DiagnosticDescriptor UnsupportedClass = Error("RESTATE002", "Unsupported Restate service class",
        "'{0}' cannot be a Restate service: {1}");

    public static readonly DiagnosticDescriptor MultipleServiceAttributes = Error("RESTATE003", "More than one Restate service attribute",
        "'{0}' has more than one of [Service], [VirtualObject] and [Workflow]");

    public static readonly DiagnosticDescriptor InvalidServiceName = Error("RESTATE004", "Invalid Restate service name",
        "'{0}' is not a valid Restate service name: {1}");

    public static readonly DiagnosticDescriptor InvalidHandlerName = Error("RESTATE005", "Invalid Restate handler name",
        "'{0}' is not a valid Restate handler name: use letters, digits and '_', starting with a letter (or '_' and a letter or digit)");

    public static readonly DiagnosticDescriptor DuplicateHandlerName = Error("RESTATE006", "Duplicate Restate handler name",
        "'{0}' already has a handler named '{1}' (method '{2}'): give one of them another name with [Handler(\"…\")]");

    public static readonly DiagnosticDescriptor UnsupportedSignature = Error("RESTATE007", "Unsupported handler signature",
        "Handler '{0}' has an unsupported signature: {1}. A handler is a method (TContext ctx) or (TContext ctx, TInput input) returning Task, Task<T>, ValueTask or ValueTask<T>.");

    public static readonly DiagnosticDescriptor WrongContextType = Error("RESTATE008", "Wrong context parameter",
        "Handler '{0}' must take {1} as its first parameter: {2}");

    public static readonly DiagnosticDescriptor UnsupportedReturnType = Error("RESTATE009", "Unsupported handler return type",
        "Handler '{0}' returns {1}: a handler returns Task, Task<T>, ValueTask or ValueTask<T>");

    public static readonly DiagnosticDescriptor SharedOnService = Error("RESTATE010", "Shared handler on a plain service",
        "Handler '{0}' is [Shared], but '{1}' is a plain service: only virtual object and workflow handlers can be shared");

    public static readonly DiagnosticDescriptor WorkflowRunCount = Error("RESTATE011", "Workflow needs exactly one run handler",
        "Workflow '{0}' must have exactly one run handler (a [Handler] without [Shared]): {1}");

    public static readonly DiagnosticDescriptor NoHandlers = Error("RESTATE012", "Restate service without handlers",
        "'{0}' has no [Handler] methods");

    public static readonly DiagnosticDescriptor InvalidOption = Error("RESTATE013", "Invalid Restate option",
        "Invalid {0} '{1}': {2}");

    public static readonly DiagnosticDescriptor NoSerializer = Error("RESTATE014", "No JSON serializer context",
        "Handler '{0}' needs JSON for {1}, but no serializer context is configured: add [assembly: RestateSerializer(typeof(YourJsonContext))] or set Serializer on the class attribute");

    public static readonly DiagnosticDescriptor TypeNotInContext = Error("RESTATE015", "Type missing from the JSON serializer context",
        "{0} (used by handler '{1}') is not in the JSON serializer context '{2}': add [JsonSerializable(typeof({0}))] to it");

    public static readonly DiagnosticDescriptor InvalidSerializer = Error("RESTATE016", "Invalid JSON serializer context",
        "'{0}' is not a JSON serializer context: it must derive from System.Text.Json.Serialization.JsonSerializerContext");

    public static readonly DiagnosticDescriptor HandlerOutsideService = Error("RESTATE017", "Handler outside a Restate service",
        "'{0}' is a [Handler], but '{1}' has no [Service], [VirtualObject] or [Workflow] attribute");

    public static readonly DiagnosticDescriptor SharedWithoutHandler = Error("RESTATE018", "[Shared] without [Handler]",
        "'{0}' is [Shared] but not a [Handler]: add [Handler] or remove [Shared]");

    public static readonly DiagnosticDescriptor ClientNameClash = Error("RESTATE019", "Handler method clashes in the generated client",
        "Handler method '{0}' clashes with {1} in the generated client: rename the method");

    public static readonly DiagnosticDescriptor InvalidContentType = Error("RESTATE020", "Invalid handler content type",
        "Invalid {0} '{1}' on handler '{2}': {3}");

    public static readonly DiagnosticDescriptor SerdeMismatch = Error("RESTATE021", "Serde does not fit the payload",
        "'{0}' cannot serialize the {1} of handler '{2}': {3}");

    public static readonly DiagnosticDescriptor SerdeNotCreatable = Error("RESTATE022", "Serde cannot be created",
        "'{0}' cannot be created by the generated code: {1}. A [Serde] type is a class the generated code can reach, neither abstract nor an open generic type, with a public parameterless constructor.");

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}

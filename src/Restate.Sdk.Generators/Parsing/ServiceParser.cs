using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Restate.Sdk.Generators.Model;

namespace Restate.Sdk.Generators.Parsing;

/// <summary>Turns one attributed class into a <see cref="ServiceModel"/> and the diagnostics of its mistakes.</summary>
internal static class ServiceParser
{
    public const string ServiceAttribute = "Restate.Sdk.ServiceAttribute";
    public const string VirtualObjectAttribute = "Restate.Sdk.VirtualObjectAttribute";
    public const string WorkflowAttribute = "Restate.Sdk.WorkflowAttribute";
    public const string HandlerAttribute = "Restate.Sdk.HandlerAttribute";
    public const string SharedAttribute = "Restate.Sdk.SharedAttribute";
    public const string SerializerAttribute = "Restate.Sdk.RestateSerializerAttribute";
    public const string SerdeAttribute = "Restate.Sdk.SerdeAttribute";
    private const string SerdeBase = "Restate.Sdk.Serde<T>";

    private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private static readonly Regex ServiceNamePattern = new("^([a-zA-Z]|_[a-zA-Z0-9])[a-zA-Z0-9._-]*$");
    private static readonly Regex HandlerNamePattern = new("^([a-zA-Z]|_[a-zA-Z0-9])[a-zA-Z0-9_]*$");

    public static bool IsServiceAttribute(AttributeData attribute) =>
        attribute.AttributeClass?.ToDisplayString() is ServiceAttribute or VirtualObjectAttribute or WorkflowAttribute;

    public static ServiceResult? Parse(GeneratorAttributeSyntaxContext context, ServiceKind kind, CancellationToken cancellation)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var syntax = (TypeDeclarationSyntax)context.TargetNode;
        var attribute = context.Attributes[0];
        var diagnostics = new List<DiagnosticInfo>();
        var classLocation = LocationInfo.From(syntax.Identifier.GetLocation());
        var className = type.Name;

        var serviceAttributes = type.GetAttributes().Where(IsServiceAttribute).ToList();
        if (serviceAttributes.Count > 1)
        {
            // Each of the class's attributes runs this parse; only the first one reports.
            if (!SymbolEqualityComparer.Default.Equals(serviceAttributes[0].AttributeClass, attribute.AttributeClass))
            {
                return null;
            }
            return Failed(DiagnosticInfo.Create(Diagnostics.MultipleServiceAttributes, classLocation, className));
        }
        if (!syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            return Failed(DiagnosticInfo.Create(Diagnostics.ClassNotPartial, classLocation, className));
        }
        var unsupported = type.ContainingType is not null ? "it is nested in another type; declare it at namespace level"
            : type.IsGenericType ? "it is generic"
            : null;
        if (unsupported is not null)
        {
            return Failed(DiagnosticInfo.Create(Diagnostics.UnsupportedClass, classLocation, className, unsupported));
        }

        var serviceName = attribute.ConstructorArguments.FirstOrDefault().Value as string ?? className;
        if (ServiceNameProblem(serviceName) is { } nameProblem)
        {
            return Failed(DiagnosticInfo.Create(Diagnostics.InvalidServiceName, ConstructorArgumentLocation(attribute) ?? classLocation,
                serviceName, nameProblem));
        }

        var serializer = ResolveSerializer(attribute, context.SemanticModel.Compilation, diagnostics);
        var classOptions = Options.Read(attribute, Documentation.Summary(type), diagnostics, kind == ServiceKind.Workflow ? OptionsScope.WorkflowClass : OptionsScope.Class);
        var serviceOptions = classOptions with { WorkflowCompletionRetention = null };

        var handlers = new List<HandlerModel>();
        var handlerNames = new Dictionary<string, string>(StringComparer.Ordinal);
        var runHandlers = new List<LocationInfo?>();
        var handlerCount = 0;
        var allPayloadsPublic = true;
        foreach (var method in type.GetMembers().OfType<IMethodSymbol>())
        {
            cancellation.ThrowIfCancellationRequested();
            var handlerAttribute = method.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == HandlerAttribute);
            var shared = method.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == SharedAttribute);
            var methodLocation = method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellation) is MethodDeclarationSyntax declaration
                ? LocationInfo.From(declaration.Identifier.GetLocation())
                : LocationInfo.From(method.Locations.FirstOrDefault());
            if (handlerAttribute is null)
            {
                if (shared)
                {
                    diagnostics.Add(DiagnosticInfo.Create(Diagnostics.SharedWithoutHandler, methodLocation, method.Name));
                }
                continue;
            }
            handlerCount++;
            var handlerKind = kind switch
            {
                ServiceKind.Service => HandlerKind.Exclusive,
                ServiceKind.VirtualObject => shared ? HandlerKind.Shared : HandlerKind.Exclusive,
                _ => shared ? HandlerKind.Shared : HandlerKind.WorkflowRun,
            };
            if (handlerKind == HandlerKind.WorkflowRun)
            {
                runHandlers.Add(methodLocation);
            }
            var handler = ParseHandler(method, handlerAttribute, handlerKind, shared, kind, className, serializer, classOptions,
                methodLocation, context.SemanticModel.Compilation, diagnostics, cancellation);
            if (handler is null)
            {
                continue;
            }
            if (handlerNames.TryGetValue(handler.HandlerName, out var otherMethod))
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.DuplicateHandlerName, ConstructorArgumentLocation(handlerAttribute) ?? methodLocation,
                    className, handler.HandlerName, otherMethod));
                continue;
            }
            if (ClientClash(handler, handlers, className, kind) is { } clash)
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.ClientNameClash, methodLocation, method.Name, clash));
                continue;
            }
            handlerNames.Add(handler.HandlerName, method.Name);
            allPayloadsPublic &= IsPublic(method.Parameters.Skip(1).FirstOrDefault()?.Type) && IsPublic((method.ReturnType as INamedTypeSymbol)?.TypeArguments.FirstOrDefault());
            handlers.Add(handler);
        }

        if (handlerCount == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.NoHandlers, classLocation, className));
        }
        if (kind == ServiceKind.Workflow && handlerCount > 0 && runHandlers.Count != 1)
        {
            if (runHandlers.Count == 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.WorkflowRunCount, classLocation, className, "all its handlers are [Shared]"));
            }
            foreach (var extra in runHandlers.Skip(1))
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.WorkflowRunCount, extra, className,
                    "this is another handler without [Shared]; mark all but the run handler [Shared]"));
            }
        }

        var model = new ServiceModel(
            type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(),
            className,
            syntax is RecordDeclarationSyntax ? "record" : "class",
            type.IsStatic,
            type.DeclaredAccessibility == Accessibility.Public && allPayloadsPublic ? "public" : "internal",
            serviceName,
            kind,
            serviceOptions,
            new EquatableArray<HandlerModel>(handlers),
            (type.ContainingNamespace.IsGlobalNamespace ? "" : type.ContainingNamespace.ToDisplayString() + ".") + className + ".g.cs",
            serializer.Context?.Expression);
        return new ServiceResult(handlerCount == 0 ? null : model, new EquatableArray<DiagnosticInfo>(diagnostics));
    }

    /// <summary>The diagnostic for a <c>[Handler]</c> method in a class without a service attribute, if it is one.</summary>
    public static DiagnosticInfo? HandlerOutsideService(GeneratorAttributeSyntaxContext context)
    {
        var method = (IMethodSymbol)context.TargetSymbol;
        if (method.ContainingType is not { } type || type.GetAttributes().Any(IsServiceAttribute))
        {
            return null;
        }
        var location = context.TargetNode is MethodDeclarationSyntax declaration ? declaration.Identifier.GetLocation() : context.TargetNode.GetLocation();
        return DiagnosticInfo.Create(Diagnostics.HandlerOutsideService, LocationInfo.From(location), method.Name, type.Name);
    }

    /// <summary>RESTATE016 for an assembly-level <c>[RestateSerializer]</c> that names no JSON context (reported once).</summary>
    public static DiagnosticInfo? InvalidAssemblySerializer(Compilation compilation)
    {
        var attribute = compilation.Assembly.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == SerializerAttribute);
        if (attribute?.ConstructorArguments.FirstOrDefault().Value is not INamedTypeSymbol type || JsonContext.Create(type) is not null)
        {
            return null;
        }
        return DiagnosticInfo.Create(Diagnostics.InvalidSerializer,
            ConstructorArgumentLocation(attribute) ?? LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation()),
            type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat));
    }

    private static HandlerModel? ParseHandler(IMethodSymbol method, AttributeData attribute, HandlerKind kind, bool shared, ServiceKind serviceKind,
        string className, Serializer serializer, OptionsModel classOptions, LocationInfo? methodLocation, Compilation compilation,
        List<DiagnosticInfo> diagnostics, CancellationToken cancellation)
    {
        var name = method.Name;
        var declaration = method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellation) as MethodDeclarationSyntax;
        var valid = true;

        var handlerName = attribute.ConstructorArguments.FirstOrDefault().Value as string ?? WithoutAsyncSuffix(name);
        if (!HandlerNamePattern.IsMatch(handlerName))
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.InvalidHandlerName, ConstructorArgumentLocation(attribute) ?? methodLocation, handlerName));
            valid = false;
        }
        if (shared && serviceKind == ServiceKind.Service)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.SharedOnService, methodLocation, name, className));
            return null;
        }

        var problem = method.IsGenericMethod ? "it is generic"
            : method.Parameters.Length == 0 ? "it has no context parameter"
            : method.Parameters.Length > 2 ? $"it has {method.Parameters.Length} parameters; wrap the inputs in one record"
            : method.Parameters.FirstOrDefault(p => p.RefKind != RefKind.None) is { } byRef ? $"parameter '{byRef.Name}' is passed by reference"
            : method.Parameters.FirstOrDefault(p => p.IsParams) is { } paramsArray ? $"parameter '{paramsArray.Name}' is a params array"
            : method.Parameters.FirstOrDefault(p => p.HasExplicitDefaultValue) is { } optional ? $"parameter '{optional.Name}' is optional"
            : null;
        if (problem is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.UnsupportedSignature, methodLocation, name, problem));
            return null;
        }

        var (expectedContext, why) = ExpectedContext(kind, serviceKind);
        var contextParameter = method.Parameters[0];
        if (contextParameter.Type.ToDisplayString() != "Restate.Sdk." + expectedContext)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.WrongContextType, ParameterTypeLocation(contextParameter, cancellation) ?? methodLocation,
                name, expectedContext, why));
            valid = false;
        }

        var returnType = method.ReturnType as INamedTypeSymbol;
        var returnDefinition = returnType?.OriginalDefinition.ToDisplayString();
        var returnsValueTask = returnDefinition is "System.Threading.Tasks.ValueTask" or "System.Threading.Tasks.ValueTask<TResult>";
        ITypeSymbol? outputType = null;
        switch (returnDefinition)
        {
            case "System.Threading.Tasks.Task" or "System.Threading.Tasks.ValueTask":
                break;
            case "System.Threading.Tasks.Task<TResult>" or "System.Threading.Tasks.ValueTask<TResult>":
                outputType = returnType!.TypeArguments[0];
                break;
            default:
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.UnsupportedReturnType,
                    LocationInfo.From(declaration?.ReturnType) ?? methodLocation, name,
                    method.ReturnType.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat)));
                return null;
        }

        if (SerdeAttributeOf(contextParameter.GetAttributes()) is { } contextSerde)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.SerdeMismatch, AttributeLocation(contextSerde) ?? methodLocation,
                SerdeDisplay(contextSerde), "context parameter", name,
                "only the input parameter and the return value ([return: Serde(…)]) have serdes"));
            valid = false;
        }
        PayloadModel? input = null;
        var inputParameter = method.Parameters.Length == 2 ? method.Parameters[1] : null;
        if (inputParameter is not null)
        {
            var location = ParameterTypeLocation(inputParameter, cancellation) ?? methodLocation;
            input = SerdeAttributeOf(inputParameter.GetAttributes()) is { } inputSerde
                ? CustomPayload(inputParameter.Type, inputSerde, "input", name, compilation, location, diagnostics)
                : Payload(inputParameter.Type, name, serializer, location, diagnostics);
            valid &= input is not null;
        }
        PayloadModel? output = null;
        var returnSerde = SerdeAttributeOf(method.GetReturnTypeAttributes());
        if (outputType is not null)
        {
            var location = LocationInfo.From(declaration?.ReturnType) ?? methodLocation;
            output = returnSerde is not null
                ? CustomPayload(outputType, returnSerde, "output", name, compilation, location, diagnostics)
                : Payload(outputType, name, serializer, location, diagnostics);
            valid &= output is not null;
        }
        else if (returnSerde is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.SerdeMismatch, AttributeLocation(returnSerde) ?? methodLocation,
                SerdeDisplay(returnSerde), "output", name, "the handler returns no value (Task or ValueTask)"));
            valid = false;
        }

        var scope = kind == HandlerKind.WorkflowRun ? OptionsScope.WorkflowRunHandler : OptionsScope.Handler;
        var options = Options.Read(attribute, Documentation.Summary(method), diagnostics, scope);
        if (kind == HandlerKind.WorkflowRun && options.WorkflowCompletionRetention is null && classOptions.WorkflowCompletionRetention is not null)
        {
            options = options with { WorkflowCompletionRetention = classOptions.WorkflowCompletionRetention };
        }
        options = options with
        {
            Accept = ContentTypeOption(attribute, "Accept", name, diagnostics,
                accept => inputParameter is null ? "the handler takes no input, so there is no request body to accept" : MediaTypes.AcceptProblem(accept)),
            ContentType = ContentTypeOption(attribute, "ContentType", name, diagnostics,
                contentType => outputType is null
                    ? "the handler returns no value (Task or ValueTask), so there is no response body to label"
                    : MediaTypes.ContentTypeProblem(contentType)),
        };

        return valid
            ? new HandlerModel(name, WithoutAsyncSuffix(name), handlerName, kind, method.IsStatic, input, inputParameter?.Name, output, returnsValueTask, options)
            : null;
    }

    private static (string Context, string Why) ExpectedContext(HandlerKind kind, ServiceKind serviceKind) => (kind, serviceKind) switch
    {
        (_, ServiceKind.Service) => ("Context", "handlers of a service take Context"),
        (HandlerKind.Shared, ServiceKind.VirtualObject) => ("SharedObjectContext", "shared handlers of a virtual object take SharedObjectContext"),
        (_, ServiceKind.VirtualObject) => ("ObjectContext",
            "exclusive handlers of a virtual object take ObjectContext (mark the handler [Shared] to take SharedObjectContext)"),
        (HandlerKind.Shared, _) => ("SharedWorkflowContext", "shared handlers of a workflow take SharedWorkflowContext"),
        _ => ("WorkflowContext",
            "the run handler of a workflow (its only handler without [Shared]) takes WorkflowContext; mark other handlers [Shared] to take SharedWorkflowContext"),
    };

    /// <summary>
    /// The serde of a payload without <c>[Serde]</c>: a built-in one for <c>string</c>, <c>int</c>, <c>long</c>,
    /// <c>bool</c>, <c>byte[]</c> and <c>ReadOnlyMemory&lt;byte&gt;</c>, otherwise JSON through the context's type
    /// info. A nullable payload (<c>T?</c>, reference or value type) gets the nullable variant, which reads an empty
    /// body as null; a non-nullable one rejects an empty body.
    /// </summary>
    private static PayloadModel? Payload(ITypeSymbol type, string method, Serializer serializer, LocationInfo? location,
        List<DiagnosticInfo> diagnostics)
    {
        var typeName = type.ToDisplayString(TypeFormat);
        var underlying = type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullableValue
            ? nullableValue.TypeArguments[0]
            : null;
        var isNullable = underlying is not null || (type.IsReferenceType && type.NullableAnnotation == NullableAnnotation.Annotated);
        var builtIn = (underlying ?? type) switch
        {
            { SpecialType: SpecialType.System_String } => "String",
            { SpecialType: SpecialType.System_Int32 } => "Int32",
            { SpecialType: SpecialType.System_Int64 } => "Int64",
            { SpecialType: SpecialType.System_Boolean } => "Boolean",
            IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte } => "Bytes",
            _ => null,
        };
        if (builtIn is null && IsReadOnlyMemoryOfByte(type))
        {
            // Raw bytes without a copy; not for ReadOnlyMemory<byte>?, whose empty body would be ambiguous.
            return new PayloadModel(typeName, "global::Restate.Sdk.Serde.ReadOnlyMemory");
        }
        if (builtIn is not null)
        {
            return new PayloadModel(typeName, "global::Restate.Sdk.Serde." + (isNullable ? "Nullable" : "") + builtIn);
        }
        var display = type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
        if (serializer.Broken)
        {
            return null;
        }
        if (serializer.Context is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.NoSerializer, location, method, display));
            return null;
        }
        if (serializer.Context.TypeInfoExpression(type) is not { } typeInfo)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.TypeNotInContext, location,
                type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat),
                method, serializer.Context.Name));
            return null;
        }
        return new PayloadModel(typeName, $"global::Restate.Sdk.Serde.{(isNullable ? "NullableJson" : "Json")}({typeInfo})");
    }

    /// <summary>
    /// The payload of a <c>[Serde(typeof(S))]</c> input or output: <c>new S()</c>, once <c>S</c> is checked to derive
    /// from <c>Serde&lt;T&gt;</c> for exactly the payload type (RESTATE021) and to be creatable by the generated code
    /// through a public parameterless constructor (RESTATE022).
    /// </summary>
    private static PayloadModel? CustomPayload(ITypeSymbol type, AttributeData attribute, string role, string method, Compilation compilation,
        LocationInfo? payloadLocation, List<DiagnosticInfo> diagnostics)
    {
        if (attribute.ConstructorArguments.FirstOrDefault().Value is not INamedTypeSymbol serde || serde.TypeKind == TypeKind.Error)
        {
            // typeof(null), a missing type or a type that does not exist: the compiler reports it.
            return null;
        }
        var location = AttributeLocation(attribute) ?? payloadLocation;
        var display = serde.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
        if (serde.IsUnboundGenericType)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.SerdeNotCreatable, location, display,
                "it is an open generic type; name a closed one, such as typeof(MySerde<Item>)"));
            return null;
        }
        var serdeOf = SerdeTypeArgument(serde);
        var payloadDisplay = type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
        if (serdeOf is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.SerdeMismatch, location, display, role, method,
                $"it does not derive from Restate.Sdk.Serde<T>; a [Serde] type derives from Serde<{payloadDisplay}>"));
            return null;
        }
        if (!SymbolEqualityComparer.Default.Equals(serdeOf, type))
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.SerdeMismatch, location, display, role, method,
                $"it derives from Serde<{serdeOf.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat)}>, but the {role} is {payloadDisplay}"));
            return null;
        }
        var problem = serde.IsAbstract ? "it is abstract"
            : !compilation.IsSymbolAccessibleWithin(serde, compilation.Assembly) ? "it is not accessible outside the type that declares it; make it internal or public"
            : !serde.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility == Accessibility.Public)
                ? "it has no public parameterless constructor"
            : null;
        if (problem is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.SerdeNotCreatable, location, display, problem));
            return null;
        }
        return new PayloadModel(type.ToDisplayString(TypeFormat), $"new {serde.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)}()");
    }

    /// <summary>The <c>T</c> of the <c>Restate.Sdk.Serde&lt;T&gt;</c> that <paramref name="type"/> derives from, if any.</summary>
    private static ITypeSymbol? SerdeTypeArgument(INamedTypeSymbol type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.IsGenericType && current.OriginalDefinition.ToDisplayString() == SerdeBase)
            {
                return current.TypeArguments[0];
            }
        }
        return null;
    }

    private static AttributeData? SerdeAttributeOf(IEnumerable<AttributeData> attributes) =>
        attributes.FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == SerdeAttribute);

    private static string SerdeDisplay(AttributeData attribute) =>
        attribute.ConstructorArguments.FirstOrDefault().Value is ITypeSymbol type
            ? type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat)
            : "[Serde]";

    /// <summary>A content type named argument of <c>[Handler]</c>, or null (and RESTATE020) when it has a problem.</summary>
    private static string? ContentTypeOption(AttributeData attribute, string option, string method, List<DiagnosticInfo> diagnostics,
        Func<string, string?> problemOf)
    {
        if (attribute.NamedArguments.FirstOrDefault(a => a.Key == option).Value.Value is not string value)
        {
            return null;
        }
        if (problemOf(value) is { } problem)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.InvalidContentType, Options.NamedArgumentLocation(attribute, option), option, value, method, problem));
            return null;
        }
        return value;
    }

    private static Serializer ResolveSerializer(AttributeData attribute, Compilation compilation, List<DiagnosticInfo> diagnostics)
    {
        var named = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Serializer");
        if (named.Key is not null)
        {
            if (named.Value.Value is not INamedTypeSymbol classSerializer)
            {
                return new Serializer(null, Broken: false);
            }
            var context = JsonContext.Create(classSerializer);
            if (context is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.InvalidSerializer,
                    Options.NamedArgumentLocation(attribute, "Serializer"), classSerializer.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat)));
            }
            return new Serializer(context, Broken: context is null);
        }
        var assemblyAttribute = compilation.Assembly.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == SerializerAttribute);
        if (assemblyAttribute?.ConstructorArguments.FirstOrDefault().Value is INamedTypeSymbol assemblySerializer)
        {
            // An invalid assembly serializer is reported once, by the generator's compilation-wide check.
            var context = JsonContext.Create(assemblySerializer);
            return new Serializer(context, Broken: context is null);
        }
        return new Serializer(null, Broken: false);
    }

    private static string? ClientClash(HandlerModel handler, List<HandlerModel> previous, string className, ServiceKind kind)
    {
        if (handler.MethodName is "Send" or "Key" or "ServiceName" || handler.MethodName == className + "Client")
        {
            return $"the client's own member '{handler.MethodName}'";
        }
        if (kind == ServiceKind.Workflow && handler.SendMethodName is "Attach" or "GetOutput")
        {
            // The ingress client names its methods SendMethodName + "Async", beside its own AttachAsync and GetOutputAsync.
            return $"the ingress client's own member '{handler.SendMethodName}Async'";
        }
        if (previous.FirstOrDefault(h => h.MethodName == handler.MethodName) is { } sameName)
        {
            return $"the method of handler '{sameName.HandlerName}' (client methods are named after the C# methods)";
        }
        if (previous.FirstOrDefault(h => h.SendMethodName == handler.SendMethodName) is { } sameSend)
        {
            return $"the send method '{sameSend.SendMethodName}' of handler '{sameSend.HandlerName}' (send methods drop the Async suffix)";
        }
        return handler.SendMethodName == className + "SendClient" ? $"the send client's name '{handler.SendMethodName}'" : null;
    }

    private static string? ServiceNameProblem(string name)
    {
        if (!ServiceNamePattern.IsMatch(name))
        {
            return "use letters, digits, '.', '_' and '-', starting with a letter (or '_' and a letter or digit)";
        }
        return name.StartsWith("restate", StringComparison.OrdinalIgnoreCase) || name == "openapi" ? "the name is reserved by Restate" : null;
    }

    private static string WithoutAsyncSuffix(string name) =>
        name.Length > 5 && name.EndsWith("Async", StringComparison.Ordinal) ? name.Substring(0, name.Length - 5) : name;

    private static bool IsReadOnlyMemoryOfByte(ITypeSymbol type) =>
        type is INamedTypeSymbol { IsGenericType: true } named
        && named.OriginalDefinition.ToDisplayString() == "System.ReadOnlyMemory<T>"
        && named.TypeArguments[0].SpecialType == SpecialType.System_Byte;

    private static bool IsPublic(ITypeSymbol? type) => type switch
    {
        null => true,
        IArrayTypeSymbol array => IsPublic(array.ElementType),
        INamedTypeSymbol named => named.DeclaredAccessibility == Accessibility.Public && IsPublic(named.ContainingType)
            && named.TypeArguments.All(IsPublic),
        _ => true,
    };

    private static LocationInfo? ParameterTypeLocation(IParameterSymbol parameter, CancellationToken cancellation) =>
        parameter.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellation) is ParameterSyntax { Type: { } type }
            ? LocationInfo.From(type)
            : null;

    private static LocationInfo? ConstructorArgumentLocation(AttributeData attribute) =>
        attribute.ApplicationSyntaxReference?.GetSyntax() is AttributeSyntax { ArgumentList: { } arguments }
        && arguments.Arguments.FirstOrDefault(a => a.NameEquals is null) is { } first
            ? LocationInfo.From(first)
            : null;

    private static LocationInfo? AttributeLocation(AttributeData attribute) =>
        ConstructorArgumentLocation(attribute) ?? LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax());

    private static ServiceResult Failed(DiagnosticInfo diagnostic) => new(null, new EquatableArray<DiagnosticInfo>([diagnostic]));

    private sealed record Serializer(JsonContext? Context, bool Broken);
}

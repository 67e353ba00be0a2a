using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Restate.Sdk.Generators.Parsing;

/// <summary>
/// What the generator knows of a source-generated <c>JsonSerializerContext</c>, read from its attributes: the
/// System.Text.Json generator's output (the <c>Default</c> instance and one property per type) is not visible to
/// other generators, so the type-info property names are derived the way that generator derives them.
/// </summary>
internal sealed class JsonContext
{
    private const string JsonNamespace = "System.Text.Json.Serialization";

    private readonly Dictionary<ITypeSymbol, string> _rootNames = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ITypeSymbol> _types = new(SymbolEqualityComparer.Default);

    private JsonContext(INamedTypeSymbol type)
    {
        Name = type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
        Expression = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        var attributes = type.GetAttributes();
        foreach (var attribute in attributes.Where(a => a.AttributeClass?.ToDisplayString() == JsonNamespace + ".JsonSourceGenerationOptionsAttribute"))
        {
            ReadOptions(attribute);
        }
        foreach (var attribute in attributes.Where(a => a.AttributeClass?.ToDisplayString() == JsonNamespace + ".JsonSerializableAttribute"))
        {
            if (attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is ITypeSymbol root)
            {
                var propertyName = attribute.NamedArguments.FirstOrDefault(a => a.Key == "TypeInfoPropertyName").Value.Value as string;
                _rootNames[root] = propertyName ?? TypeInfoPropertyName(root);
                Collect(root);
            }
        }
    }

    /// <summary>The context's name for messages.</summary>
    public string Name { get; }

    /// <summary>The context class, fully qualified.</summary>
    public string Expression { get; }

    /// <summary>Whether public fields are serialized too (they then reach more types).</summary>
    public bool IncludeFields { get; private set; }

    /// <summary>The context for <paramref name="type"/>, or null when it does not derive from <c>JsonSerializerContext</c>.</summary>
    public static JsonContext? Create(INamedTypeSymbol type)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (current.ToDisplayString() == JsonNamespace + ".JsonSerializerContext")
            {
                return new JsonContext(type);
            }
        }
        return null;
    }

    /// <summary>The expression of <paramref name="type"/>'s <c>JsonTypeInfo</c>, if the context has one.</summary>
    public string? TypeInfoExpression(ITypeSymbol type)
    {
        var key = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
        if (!_types.Contains(key))
        {
            return null;
        }
        var name = _rootNames.TryGetValue(key, out var rootName) ? rootName : TypeInfoPropertyName(key);
        return $"{Expression}.Default.{(SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name)}";
    }

    /// <summary>System.Text.Json's property name for a type: its name, then its type arguments' names; <c>Array</c> suffix for arrays.</summary>
    private static string TypeInfoPropertyName(ITypeSymbol type)
    {
        if (type is IArrayTypeSymbol array)
        {
            return TypeInfoPropertyName(array.ElementType) + (array.Rank == 1 ? "Array" : $"Array{array.Rank}D");
        }
        if (type is not INamedTypeSymbol { IsGenericType: true } named)
        {
            return type.Name;
        }
        var name = new StringBuilder(named.Name);
        foreach (var argument in TypeArgumentsInScope(named))
        {
            name.Append(TypeInfoPropertyName(argument));
        }
        return name.ToString();
    }

    private static IEnumerable<ITypeSymbol> TypeArgumentsInScope(INamedTypeSymbol type)
    {
        var chain = new Stack<INamedTypeSymbol>();
        for (var current = type; current is not null; current = current.ContainingType)
        {
            chain.Push(current);
        }
        return chain.SelectMany(t => t.TypeArguments);
    }

    private void ReadOptions(AttributeData attribute)
    {
        // Only what decides which types the context covers; everything about the JSON itself (names, converters,
        // schemas) is System.Text.Json's own business at run time.
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == "IncludeFields" && argument.Value.Value is bool include)
            {
                IncludeFields = include;
            }
        }
    }

    /// <summary>
    /// Adds <paramref name="type"/> and every type its JSON contract reaches (type arguments, element types, the
    /// serialized properties and fields, derived types), as System.Text.Json generates a type info for each of them.
    /// </summary>
    private void Collect(ITypeSymbol type)
    {
        type = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
        if (type is ITypeParameterSymbol or IPointerTypeSymbol or IFunctionPointerTypeSymbol or IErrorTypeSymbol || !_types.Add(type))
        {
            return;
        }
        switch (type)
        {
            case IArrayTypeSymbol array:
                Collect(array.ElementType);
                return;
            case INamedTypeSymbol named:
                foreach (var argument in named.TypeArguments)
                {
                    Collect(argument);
                }
                if (named.ContainingNamespace?.ToDisplayString() is { } ns && (ns == "System" || ns.StartsWith("System.", System.StringComparison.Ordinal)))
                {
                    return;
                }
                foreach (var attribute in named.GetAttributes())
                {
                    if (attribute.AttributeClass?.ToDisplayString() == JsonNamespace + ".JsonDerivedTypeAttribute"
                        && attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is ITypeSymbol derived)
                    {
                        Collect(derived);
                    }
                }
                for (var current = named; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
                {
                    foreach (var member in current.GetMembers())
                    {
                        var included = member.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == JsonNamespace + ".JsonIncludeAttribute");
                        switch (member)
                        {
                            case IPropertySymbol { IsStatic: false, IsIndexer: false } property
                                when included || property is { DeclaredAccessibility: Accessibility.Public, GetMethod.DeclaredAccessibility: Accessibility.Public }:
                                Collect(property.Type);
                                break;
                            case IFieldSymbol { IsStatic: false, IsImplicitlyDeclared: false } field
                                when included || (IncludeFields && field.DeclaredAccessibility == Accessibility.Public):
                                Collect(field.Type);
                                break;
                        }
                    }
                }
                return;
        }
    }
}

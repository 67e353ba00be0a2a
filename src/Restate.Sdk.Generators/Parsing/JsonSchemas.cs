using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace Restate.Sdk.Generators.Parsing;

/// <summary>
/// Derives a JSON Schema (draft 2020-12 subset) for a handler payload from its type, as System.Text.Json with the
/// context's options writes it: primitives, strings, enums, arrays and collections, string-keyed dictionaries,
/// nullable types, and classes/records/structs of those. Whatever it cannot describe exactly (custom converters,
/// polymorphism, interfaces, <c>object</c>, recursion) becomes the "anything" schema <c>{}</c>; a payload whose
/// schema would be <c>{}</c> gets none.
/// </summary>
internal sealed class JsonSchemas(JsonContext? context)
{
    private const string JsonNamespace = "System.Text.Json.Serialization";
    private const int MaxDepth = 16;

    private readonly HashSet<ITypeSymbol> _inProgress = new(SymbolEqualityComparer.Default);

    /// <summary>The schema text for a payload, or null when it would say nothing.</summary>
    public string? For(ITypeSymbol type)
    {
        var schema = Describe(type, null, 0);
        return schema.IsAny ? null : schema.ToJson();
    }

    private Schema Describe(ITypeSymbol type, ISymbol? member, int depth)
    {
        if (depth > MaxDepth)
        {
            return Schema.Any();
        }
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullableValue)
        {
            return Describe(nullableValue.TypeArguments[0], member, depth).OrNull();
        }
        if (type.IsReferenceType && type.NullableAnnotation == NullableAnnotation.Annotated)
        {
            return Describe(type.WithNullableAnnotation(NullableAnnotation.NotAnnotated), member, depth).OrNull();
        }
        if (member is not null && ConverterOf(member) is { } memberConverter)
        {
            return type.TypeKind == TypeKind.Enum && IsStringEnumConverter(memberConverter) ? EnumSchema(type, asString: true) : Schema.Any();
        }
        if (Primitive(type) is { } primitive)
        {
            return primitive;
        }
        if (type.TypeKind == TypeKind.Enum)
        {
            var converter = ConverterOf(type);
            if (converter is not null && !IsStringEnumConverter(converter))
            {
                return Schema.Any();
            }
            return EnumSchema(type, asString: converter is not null || (context?.WritesEnumAsString(type) ?? false));
        }
        if (type is IArrayTypeSymbol array)
        {
            return array.Rank == 1 ? Schema.Of("array").With("items", Describe(array.ElementType, null, depth + 1)) : Schema.Any();
        }
        if (type is not INamedTypeSymbol named || IsSystemType(named) && !IsCollection(named))
        {
            return Schema.Any();
        }
        if (DictionaryValueType(named) is { } valueType)
        {
            return Schema.Of("object").With("additionalProperties", Describe(valueType, null, depth + 1));
        }
        if (EnumerableElementType(named) is { } elementType)
        {
            return Schema.Of("array").With("items", Describe(elementType, null, depth + 1));
        }
        if (named.TypeKind is not (TypeKind.Class or TypeKind.Struct) || named.IsAbstract || ConverterOf(named) is not null
            || HasAttribute(named, "JsonPolymorphicAttribute") || HasAttribute(named, "JsonDerivedTypeAttribute"))
        {
            return Schema.Any();
        }
        if (!_inProgress.Add(named))
        {
            return Schema.Any();
        }
        try
        {
            return ObjectSchema(named, depth);
        }
        finally
        {
            _inProgress.Remove(named);
        }
    }

    private Schema ObjectSchema(INamedTypeSymbol type, int depth)
    {
        var properties = new List<KeyValuePair<string, Schema>>();
        var required = new List<string>();
        var seen = new HashSet<string>();
        var hierarchy = new Stack<INamedTypeSymbol>();
        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            hierarchy.Push(current);
        }
        // Base-class members first, then the derived class's, each in declaration order; an override or a `new`
        // member replaces the base member of its name.
        var members = hierarchy.SelectMany(t => t.GetMembers()).Reverse().Where(m => m is IPropertySymbol or IFieldSymbol)
            .GroupBy(m => m.Name).Select(g => g.First()).Reverse();
        foreach (var member in members)
        {
            if (member.IsStatic || member is IPropertySymbol { IsIndexer: true } || member.IsImplicitlyDeclared || IsIgnored(member))
            {
                continue;
            }
            var included = HasAttribute(member, "JsonIncludeAttribute");
            ITypeSymbol memberType;
            switch (member)
            {
                case IPropertySymbol property when included || (property.DeclaredAccessibility == Accessibility.Public
                    && property.GetMethod is { DeclaredAccessibility: Accessibility.Public }):
                    memberType = property.Type;
                    break;
                case IFieldSymbol field when included || (field.DeclaredAccessibility == Accessibility.Public && (context?.IncludeFields ?? false)):
                    memberType = field.Type;
                    break;
                default:
                    continue;
            }
            if (HasAttribute(member, "JsonExtensionDataAttribute"))
            {
                continue;
            }
            var name = NamedArgument(member, "JsonPropertyNameAttribute") ?? JsonNaming.Convert(context?.NamingPolicy ?? 0, member.Name);
            if (!seen.Add(name))
            {
                continue;
            }
            properties.Add(new KeyValuePair<string, Schema>(name, Describe(memberType, member, depth + 1)));
            if (member is IPropertySymbol { IsRequired: true } or IFieldSymbol { IsRequired: true } || HasAttribute(member, "JsonRequiredAttribute"))
            {
                required.Add(name);
            }
        }
        var schema = Schema.Of("object").WithProperties(properties);
        if (required.Count > 0)
        {
            schema = schema.WithRaw("required", "[" + string.Join(",", required.Select(Schema.Quote)) + "]");
        }
        return schema;
    }

    private static Schema EnumSchema(ITypeSymbol type, bool asString)
    {
        var flags = type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "System.FlagsAttribute");
        var fields = type.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasConstantValue).ToList();
        if (asString)
        {
            if (flags)
            {
                return Schema.Of("string");
            }
            var names = fields.Select(f => NamedArgument(f, "JsonStringEnumMemberNameAttribute") ?? f.Name);
            return Schema.Of("string").WithRaw("enum", "[" + string.Join(",", names.Select(Schema.Quote)) + "]");
        }
        if (flags)
        {
            return Schema.Of("integer");
        }
        var values = fields.Select(f => System.Convert.ToString(f.ConstantValue, CultureInfo.InvariantCulture)).Distinct();
        return Schema.Of("integer").WithRaw("enum", "[" + string.Join(",", values) + "]");
    }

    private static Schema? Primitive(ITypeSymbol type)
    {
        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean:
                return Schema.Of("boolean");
            case SpecialType.System_String:
            case SpecialType.System_Char:
                return Schema.Of("string");
            case SpecialType.System_SByte:
            case SpecialType.System_Byte:
            case SpecialType.System_Int16:
            case SpecialType.System_UInt16:
            case SpecialType.System_Int32:
            case SpecialType.System_UInt32:
            case SpecialType.System_Int64:
            case SpecialType.System_UInt64:
                return Schema.Of("integer");
            case SpecialType.System_Single:
            case SpecialType.System_Double:
            case SpecialType.System_Decimal:
                return Schema.Of("number");
            case SpecialType.System_DateTime:
                return Schema.Of("string").WithRaw("format", "\"date-time\"");
            case SpecialType.System_Object:
                return Schema.Any();
        }
        if (type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte })
        {
            return Schema.Of("string").WithRaw("contentEncoding", "\"base64\"");
        }
        return type.ToDisplayString() switch
        {
            "System.Guid" => Schema.Of("string").WithRaw("format", "\"uuid\""),
            "System.DateTimeOffset" => Schema.Of("string").WithRaw("format", "\"date-time\""),
            "System.DateOnly" => Schema.Of("string").WithRaw("format", "\"date\""),
            "System.Uri" => Schema.Of("string").WithRaw("format", "\"uri-reference\""),
            "System.TimeSpan" or "System.TimeOnly" or "System.Version" => Schema.Of("string"),
            "System.Int128" or "System.UInt128" => Schema.Of("integer"),
            "System.Half" => Schema.Of("number"),
            _ => null,
        };
    }

    private static bool IsSystemType(INamedTypeSymbol type) =>
        type.ContainingNamespace?.ToDisplayString() is { } ns && (ns == "System" || ns.StartsWith("System.", System.StringComparison.Ordinal));

    private static bool IsCollection(INamedTypeSymbol type) => DictionaryValueType(type) is not null || EnumerableElementType(type) is not null;

    private static ITypeSymbol? DictionaryValueType(INamedTypeSymbol type) =>
        GenericInterface(type, "System.Collections.Generic.IDictionary<TKey, TValue>")?.TypeArguments[1]
        ?? GenericInterface(type, "System.Collections.Generic.IReadOnlyDictionary<TKey, TValue>")?.TypeArguments[1];

    private static ITypeSymbol? EnumerableElementType(INamedTypeSymbol type) =>
        type.SpecialType == SpecialType.System_String ? null : GenericInterface(type, "System.Collections.Generic.IEnumerable<T>")?.TypeArguments[0];

    private static INamedTypeSymbol? GenericInterface(INamedTypeSymbol type, string definition) =>
        type.OriginalDefinition.ToDisplayString() == definition
            ? type
            : type.AllInterfaces.FirstOrDefault(i => i.OriginalDefinition.ToDisplayString() == definition);

    private static bool IsIgnored(ISymbol member)
    {
        var ignore = Attribute(member, "JsonIgnoreAttribute");
        if (ignore is null)
        {
            return false;
        }
        // JsonIgnoreCondition.Always (1) is the default; the other conditions only skip some values when writing.
        var condition = ignore.NamedArguments.FirstOrDefault(a => a.Key == "Condition").Value.Value;
        return condition is null or 1;
    }

    private static INamedTypeSymbol? ConverterOf(ISymbol symbol) =>
        Attribute(symbol, "JsonConverterAttribute") is { } attribute
            ? attribute.ConstructorArguments.FirstOrDefault().Value as INamedTypeSymbol ?? attribute.AttributeClass
            : null;

    private static bool IsStringEnumConverter(INamedTypeSymbol converter) =>
        converter.Name == "JsonStringEnumConverter" && converter.ContainingNamespace.ToDisplayString() == JsonNamespace;

    private static bool HasAttribute(ISymbol symbol, string name) => Attribute(symbol, name) is not null;

    private static AttributeData? Attribute(ISymbol symbol, string name) =>
        symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == JsonNamespace + "." + name);

    private static string? NamedArgument(ISymbol symbol, string attributeName) =>
        Attribute(symbol, attributeName)?.ConstructorArguments.FirstOrDefault().Value as string;

    /// <summary>A schema under construction: a list of types and further keywords, written in order.</summary>
    private sealed class Schema
    {
        private readonly List<string> _types = [];
        private readonly List<KeyValuePair<string, string>> _keywords = [];

        public bool IsAny => _types.Count == 0 && _keywords.Count == 0;

        public static Schema Any() => new();

        public static Schema Of(string type)
        {
            var schema = new Schema();
            schema._types.Add(type);
            return schema;
        }

        public static string Quote(string text)
        {
            var json = new StringBuilder("\"");
            foreach (var c in text)
            {
                switch (c)
                {
                    case '"':
                        json.Append("\\\"");
                        break;
                    case '\\':
                        json.Append("\\\\");
                        break;
                    case < ' ':
                        json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        break;
                    default:
                        json.Append(c);
                        break;
                }
            }
            return json.Append('"').ToString();
        }

        public Schema With(string keyword, Schema value) => WithRaw(keyword, value.ToJson());

        public Schema WithRaw(string keyword, string json)
        {
            _keywords.Add(new KeyValuePair<string, string>(keyword, json));
            return this;
        }

        public Schema WithProperties(List<KeyValuePair<string, Schema>> properties) =>
            WithRaw("properties", "{" + string.Join(",", properties.Select(p => Quote(p.Key) + ":" + p.Value.ToJson())) + "}");

        public Schema OrNull()
        {
            if (IsAny)
            {
                return this;
            }
            if (_types.Count > 0 && !_keywords.Any(k => k.Key == "enum"))
            {
                if (!_types.Contains("null"))
                {
                    _types.Add("null");
                }
                return this;
            }
            return Any().WithRaw("anyOf", "[" + ToJson() + ",{\"type\":\"null\"}]");
        }

        public string ToJson()
        {
            var members = new List<string>();
            if (_types.Count == 1)
            {
                members.Add("\"type\":" + Quote(_types[0]));
            }
            else if (_types.Count > 1)
            {
                members.Add("\"type\":[" + string.Join(",", _types.Select(Quote)) + "]");
            }
            members.AddRange(_keywords.Select(k => Quote(k.Key) + ":" + k.Value));
            return "{" + string.Join(",", members) + "}";
        }
    }
}

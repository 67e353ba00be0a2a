using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Restate.Sdk.Tests;

public enum Color
{
    Red,
    Green,
    Blue = 7,
}

[JsonConverter(typeof(JsonStringEnumConverter<Size>))]
public enum Size
{
    Small,
    [JsonStringEnumMemberName("XL")]
    ExtraLarge,
}

public sealed record Dimensions(double Width, double Height);

public sealed class Category
{
    public string Name { get; set; } = "";

    public List<Category> Children { get; set; } = [];
}

public sealed record Product(
    Guid Id,
    string Title,
    string? Subtitle,
    long? Sold,
    DateTimeOffset Created,
    Color Color,
    Size Size,
    Size? OptionalSize,
    List<string> Tags,
    IReadOnlyDictionary<string, int> Counts,
    Dimensions[] Boxes,
    Category Category,
    object Extra)
{
    [JsonPropertyName("sku_code")]
    public required string Sku { get; init; }

    [JsonIgnore]
    public string Ignored => Title;
}

[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(Circle), "circle")]
[JsonDerivedType(typeof(Square), "square")]
public abstract record Shape;

public sealed record Circle(double Radius) : Shape;

public sealed record Square(double Side) : Shape;

[JsonSerializable(typeof(Product))]
[JsonSerializable(typeof(Shape))]
[JsonSerializable(typeof(Size?))]
[JsonSerializable(typeof(object))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
internal sealed partial class SchemaJson : JsonSerializerContext;

/// <summary>The JSON serdes' schemas come from System.Text.Json's exporter, over the serde's own type info.</summary>
public sealed class JsonSchemaTests
{
    [Fact]
    public void JsonSchema_ContextType_FollowsTheSerializersNamesConvertersRequiredAndNullableMembers()
    {
        var schema = Serde.Json(SchemaJson.Default.Product).JsonSchema;

        // snake_case names and [JsonPropertyName]; [JsonIgnore] left out; string enum values with their member names;
        // constructor parameters and `required` members required; nullable members allow null; collections of
        // non-null elements; the recursive Category refers back to its first occurrence; `object` is anything.
        Assert.Equal("""
            {"type":"object","properties":{"id":{"type":"string","format":"uuid"},"title":{"type":"string"},
            "subtitle":{"type":["string","null"]},"sold":{"type":["integer","null"]},"created":{"type":"string","format":"date-time"},
            "color":{"type":"integer"},"size":{"enum":["Small","XL"]},"optional_size":{"enum":["Small","XL",null]},
            "tags":{"type":"array","items":{"type":"string"}},"counts":{"type":"object","additionalProperties":{"type":"integer"}},
            "boxes":{"type":"array","items":{"type":"object","properties":{"width":{"type":"number"},"height":{"type":"number"}},"required":["width","height"]}},
            "category":{"type":"object","properties":{"name":{"type":"string"},"children":{"type":"array","items":{"type":"object",
            "properties":{"name":{"type":"string"},"children":{"$ref":"#/properties/category/properties/children"}}}}}},
            "extra":{},"sku_code":{"type":"string"}},
            "required":["id","title","subtitle","sold","created","color","size","optional_size","tags","counts","boxes","category","extra","sku_code"]}
            """.ReplaceLineEndings(""), schema);
    }

    [Fact]
    public void JsonSchema_PolymorphicType_DescribesEveryDerivedTypeWithItsDiscriminator()
    {
        var schema = Serde.Json(SchemaJson.Default.Shape).JsonSchema;

        Assert.Equal("""
            {"type":"object","required":["kind"],"anyOf":[{"properties":{"kind":{"const":"circle"},"radius":{"type":"number"}},"required":["radius"]},
            {"properties":{"kind":{"const":"square"},"side":{"type":"number"}},"required":["side"]}]}
            """.ReplaceLineEndings(""), schema);
    }

    [Fact]
    public void JsonSchema_NullableJson_AllowsNullAtTheRootOnly()
    {
        var product = JsonNode.Parse(Serde.NullableJson(SchemaJson.Default.Product).JsonSchema!)!;

        Assert.Equal("""["object","null"]""", product["type"]!.ToJsonString());
        Assert.Equal("""{"type":"array","items":{"type":"string"}}""", product["properties"]!["tags"]!.ToJsonString());
        Assert.Equal("""{"enum":["Small","XL",null]}""", Serde.NullableJson(SchemaJson.Default.NullableSize).JsonSchema);
        Assert.StartsWith("""{"type":["object","null"],"required":["kind"],"anyOf":""", Serde.NullableJson(SchemaJson.Default.Shape).JsonSchema, StringComparison.Ordinal);
    }

    [Fact]
    public void JsonSchema_BuiltInSerdes_DescribeTheirJsonValues()
    {
        Assert.Equal("""{"type":"string"}""", Serde.String.JsonSchema);
        Assert.Equal("""{"type":["string","null"]}""", Serde.NullableString.JsonSchema);
        Assert.Equal("""{"type":"integer"}""", Serde.Int32.JsonSchema);
        Assert.Equal("""{"type":["integer","null"]}""", Serde.NullableInt32.JsonSchema);
        Assert.Equal("""{"type":"integer"}""", Serde.Int64.JsonSchema);
        Assert.Equal("""{"type":["integer","null"]}""", Serde.NullableInt64.JsonSchema);
        Assert.Equal("""{"type":"boolean"}""", Serde.Boolean.JsonSchema);
        Assert.Equal("""{"type":["boolean","null"]}""", Serde.NullableBoolean.JsonSchema);
    }

    [Fact]
    public void JsonSchema_PayloadsWithoutJsonShape_HaveNone()
    {
        Assert.Null(Serde.Json(SchemaJson.Default.Object).JsonSchema);
        Assert.Null(Serde.Bytes.JsonSchema);
        Assert.Null(Serde.NullableBytes.JsonSchema);
    }

    [Fact]
    public void JsonSchema_ReadTwice_IsExportedOnce()
    {
        var serde = Serde.Json(SchemaJson.Default.Product);

        Assert.Same(serde.JsonSchema, serde.JsonSchema);
    }

    [Fact]
    public void WithJsonSchema_OnAJsonSerde_ReplacesTheExportedSchema()
    {
        var serde = Serde.Json(SchemaJson.Default.Product).WithJsonSchema("""{"type":"object"}""");

        Assert.Equal("""{"type":"object"}""", serde.JsonSchema);
    }
}

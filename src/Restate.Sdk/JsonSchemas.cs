using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;

namespace Restate.Sdk;

/// <summary>
/// The JSON Schemas of JSON payloads, as System.Text.Json's <see cref="JsonSchemaExporter"/> derives them from a
/// <see cref="JsonTypeInfo"/>: the same contract the serializer uses (naming policy, <c>[JsonPropertyName]</c>,
/// ignored members, converters, enums, polymorphism, required and nullable members). With source-generated type
/// infos this needs no reflection, so it is Native AOT and trim safe.
/// </summary>
internal static class JsonSchemas
{
    private static readonly JsonSchemaExporterOptions ExporterOptions = new()
    {
        // At run time T carries no nullable annotation, so the payload itself and collection elements are described
        // as their declared (non-null) type; a nullable payload adds null itself (below). Properties follow their own
        // annotations either way.
        TreatNullObliviousAsNonNullable = true,
        // STJ writes "anything" as the boolean schema true; {} means the same and is what tools expecting schema
        // objects (OpenAPI UIs) can read.
        TransformSchemaNode = static (_, node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.True ? new JsonObject() : node,
    };

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Patterns and names stay readable (+, <, non-ASCII) in the manifest, as the payloads themselves are written.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The schema of <paramref name="typeInfo"/>'s payload as JSON text, or null when it would say nothing.</summary>
    /// <param name="typeInfo">The payload's type info.</param>
    /// <param name="nullable">The payload may be null: the schema allows null at its root.</param>
    public static string? Export(JsonTypeInfo typeInfo, bool nullable)
    {
        JsonNode node;
        try
        {
            node = typeInfo.GetJsonSchemaAsNode(ExporterOptions);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException)
        {
            // A contract STJ cannot describe: the manifest goes without a schema rather than discovery failing.
            return null;
        }
        if (node is not JsonObject schema || schema.Count == 0)
        {
            return null;
        }
        if (nullable)
        {
            AllowNull(schema);
        }
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            schema.WriteTo(writer);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Adds null to the root's types and enumerated values, as STJ does for the nullable types it knows.</summary>
    private static void AllowNull(JsonObject schema)
    {
        switch (schema["type"])
        {
            case JsonValue single when single.GetValue<string>() != "null":
                schema["type"] = new JsonArray(JsonValue.Create(single.GetValue<string>()), JsonValue.Create("null"));
                break;
            case JsonArray types when !types.Any(t => t?.GetValue<string>() == "null"):
                types.Add((JsonNode?)JsonValue.Create("null"));
                break;
        }
        if (schema["enum"] is JsonArray values && values.All(v => v is not null))
        {
            values.Add((JsonNode?)null);
        }
    }
}

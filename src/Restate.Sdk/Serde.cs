using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Restate.Sdk;

/// <summary>Turns values into the bytes Restate stores and sends, and back. Implementations must be deterministic.</summary>
/// <typeparam name="T">The value type.</typeparam>
public abstract class Serde<T>
{
    /// <summary>The content type advertised for this payload, or null for "no body".</summary>
    public abstract string? ContentType { get; }

    /// <summary>Serializes <paramref name="value"/>.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The encoded bytes.</returns>
    public abstract ReadOnlyMemory<byte> Serialize(T value);

    /// <summary>Deserializes <paramref name="bytes"/>.</summary>
    /// <param name="bytes">The encoded bytes.</param>
    /// <returns>The value.</returns>
    public abstract T Deserialize(ReadOnlyMemory<byte> bytes);

    /// <summary>
    /// The JSON Schema of the payload (JSON text), or null when unknown. The discovery manifest publishes it as the
    /// handler's <c>input.jsonSchema</c>/<c>output.jsonSchema</c>, which the server shows in its UI and OpenAPI.
    /// </summary>
    /// <remarks>
    /// The JSON serdes (<see cref="Serde.Json{T}"/>, <see cref="Serde.NullableJson{T}(JsonTypeInfo{T})"/> and the
    /// built-in ones such as <see cref="Serde.String"/>) answer with the schema System.Text.Json's
    /// <see cref="System.Text.Json.Schema.JsonSchemaExporter"/> derives from their <see cref="JsonTypeInfo{T}"/>,
    /// exported on first read and kept: property names, converters, required and nullable members are exactly those
    /// the serializer uses. A payload STJ can only describe as "anything" has none. Other serdes have none unless they
    /// override this property or are wrapped with <see cref="WithJsonSchema"/>.
    /// </remarks>
    public virtual string? JsonSchema => null;

    /// <summary>This serde, describing its payload with <paramref name="jsonSchema"/> in the discovery manifest.</summary>
    /// <param name="jsonSchema">A JSON Schema as JSON text, e.g. <c>{"type":"string"}</c>.</param>
    /// <returns>A serde that encodes like this one and reports <paramref name="jsonSchema"/> as <see cref="JsonSchema"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="jsonSchema"/> is not JSON.</exception>
    public Serde<T> WithJsonSchema(string jsonSchema)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jsonSchema);
        try
        {
            using var document = JsonDocument.Parse(jsonSchema);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"The JSON schema is not valid JSON: {e.Message}", nameof(jsonSchema), e);
        }
        return new Described(this is Described described ? described.Inner : this, jsonSchema);
    }

    private sealed class Described(Serde<T> inner, string jsonSchema) : Serde<T>
    {
        public Serde<T> Inner => inner;

        public override string? ContentType => inner.ContentType;

        public override string JsonSchema => jsonSchema;

        public override ReadOnlyMemory<byte> Serialize(T value) => inner.Serialize(value);

        public override T Deserialize(ReadOnlyMemory<byte> bytes) => inner.Deserialize(bytes);
    }
}

/// <summary>Ready-made serdes: JSON through source-generated <see cref="JsonTypeInfo{T}"/> (Native AOT safe) and raw bytes.</summary>
/// <remarks>
/// The <c>Nullable…</c> serdes are for payloads that may be null: an empty payload reads as null (so a handler taking
/// one accepts a request without a body), null is written as JSON <c>null</c>, and the JSON schema allows null. The
/// others reject an empty payload with an error that says so (a 400 for a handler's input).
/// </remarks>
public static class Serde
{
    /// <summary>JSON strings.</summary>
    [SuppressMessage("Naming", "CA1720", Justification = "Named after the JSON value it encodes, like JsonValueKind.String.")]
    public static Serde<string> String { get; } = Json(RestateJsonContext.Default.String);

    /// <summary>JSON strings or null; an empty payload reads as null.</summary>
    public static Serde<string?> NullableString { get; } = NullableJson(RestateJsonContext.Default.String);

    /// <summary>JSON 32-bit integers.</summary>
    [SuppressMessage("Naming", "CA1720", Justification = "Named after the .NET type it encodes.")]
    public static Serde<int> Int32 { get; } = Json(RestateJsonContext.Default.Int32);

    /// <summary>JSON 32-bit integers or null; an empty payload reads as null.</summary>
    public static Serde<int?> NullableInt32 { get; } = NullableJson(RestateJsonContext.Default.NullableInt32);

    /// <summary>JSON 64-bit integers.</summary>
    [SuppressMessage("Naming", "CA1720", Justification = "Named after the .NET type it encodes.")]
    public static Serde<long> Int64 { get; } = Json(RestateJsonContext.Default.Int64);

    /// <summary>JSON 64-bit integers or null; an empty payload reads as null.</summary>
    public static Serde<long?> NullableInt64 { get; } = NullableJson(RestateJsonContext.Default.NullableInt64);

    /// <summary>JSON booleans.</summary>
    public static Serde<bool> Boolean { get; } = Json(RestateJsonContext.Default.Boolean);

    /// <summary>JSON booleans or null; an empty payload reads as null.</summary>
    public static Serde<bool?> NullableBoolean { get; } = NullableJson(RestateJsonContext.Default.NullableBoolean);

    /// <summary>Raw bytes, passed through untouched (<c>application/octet-stream</c>); an empty payload is an empty array.</summary>
    public static Serde<byte[]> Bytes { get; } = new BytesSerde(emptyIsNull: false);

    /// <summary>Raw bytes or null (<c>application/octet-stream</c>): null is written as, and an empty payload read as, null.</summary>
    public static Serde<byte[]?> NullableBytes { get; } = new BytesSerde(emptyIsNull: true)!;

    /// <summary>
    /// Raw bytes as <see cref="ReadOnlyMemory{T}"/>, passed through untouched and without a copy
    /// (<c>application/octet-stream</c>); an empty payload is empty memory. A handler input read this way is the
    /// request body exactly as it arrived, e.g. to check a signature over it.
    /// </summary>
    public static Serde<ReadOnlyMemory<byte>> ReadOnlyMemory { get; } = new MemorySerde();

    /// <summary>JSON via a source-generated type info.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="typeInfo">From a <c>JsonSerializerContext</c>, e.g. <c>AppJson.Default.Booking</c>.</param>
    /// <param name="whenEmpty">The value to use for an empty payload; when null an empty payload is an error.</param>
    /// <returns>The serde; its <see cref="Serde{T}.JsonSchema"/> is System.Text.Json's schema of <typeparamref name="T"/>.</returns>
    public static Serde<T> Json<T>(JsonTypeInfo<T> typeInfo, Func<T>? whenEmpty = null)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return new JsonSerde<T>(typeInfo, whenEmpty, nullable: false);
    }

    /// <summary>JSON via a source-generated type info, for a reference type whose payload may be null.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="typeInfo">From a <c>JsonSerializerContext</c>, e.g. <c>AppJson.Default.Booking</c>.</param>
    /// <returns>A serde that reads an empty payload as null and whose JSON schema allows null.</returns>
    public static Serde<T?> NullableJson<T>(JsonTypeInfo<T> typeInfo)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return new JsonSerde<T?>(typeInfo!, static () => null, nullable: true)!;
    }

    /// <summary>JSON via a source-generated type info, for a nullable value type.</summary>
    /// <typeparam name="T">The underlying value type.</typeparam>
    /// <param name="typeInfo">From a <c>JsonSerializerContext</c>, e.g. <c>AppJson.Default.NullableInt32</c>.</param>
    /// <returns>A serde that reads an empty payload as null and whose JSON schema allows null.</returns>
    public static Serde<T?> NullableJson<T>(JsonTypeInfo<T?> typeInfo)
        where T : struct
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return new JsonSerde<T?>(typeInfo, static () => null, nullable: true);
    }

    private sealed class JsonSerde<T>(JsonTypeInfo<T> typeInfo, Func<T>? whenEmpty, bool nullable) : Serde<T>
    {
        // Exported once per serde, on first read (discovery), not when the service is defined: a Lambda cold start
        // that only runs invocations never pays for it.
        private readonly Lazy<string?> _jsonSchema = new(() => JsonSchemas.Export(typeInfo, nullable));

        public override string ContentType => "application/json";

        public override string? JsonSchema => _jsonSchema.Value;

        public override ReadOnlyMemory<byte> Serialize(T value)
        {
            // Through a writer whose encoder leaves non-ASCII letters and HTML-sensitive characters (ä, ', +, <) as they
            // are, as the other Restate SDKs write them; the default one would send \u00E4. JSON bodies are never HTML.
            var buffer = new ArrayBufferWriter<byte>(256);
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
            {
                Encoder = typeInfo.Options.Encoder ?? JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
                Indented = typeInfo.Options.WriteIndented,
            }))
            {
                JsonSerializer.Serialize(writer, value, typeInfo);
            }
            return buffer.WrittenMemory;
        }

        public override T Deserialize(ReadOnlyMemory<byte> bytes)
        {
            if (bytes.IsEmpty)
            {
                return whenEmpty is not null
                    ? whenEmpty()
                    : throw new JsonException($"Expected a JSON {typeInfo.Type.Name} but the payload is empty.");
            }
            return JsonSerializer.Deserialize(bytes.Span, typeInfo)!;
        }
    }

    private sealed class MemorySerde : Serde<ReadOnlyMemory<byte>>
    {
        public override string ContentType => "application/octet-stream";

        public override ReadOnlyMemory<byte> Serialize(ReadOnlyMemory<byte> value) => value;

        public override ReadOnlyMemory<byte> Deserialize(ReadOnlyMemory<byte> bytes) => bytes;
    }

    private sealed class BytesSerde(bool emptyIsNull) : Serde<byte[]>
    {
        public override string ContentType => "application/octet-stream";

        public override ReadOnlyMemory<byte> Serialize(byte[] value) => value;

        public override byte[] Deserialize(ReadOnlyMemory<byte> bytes) => bytes.IsEmpty && emptyIsNull ? null! : bytes.ToArray();
    }
}

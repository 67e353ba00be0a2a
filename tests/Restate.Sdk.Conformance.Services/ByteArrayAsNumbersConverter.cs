using System.Text.Json;
using System.Text.Json.Serialization;

namespace Restate.Sdk.Conformance.Services;

/// <summary>
/// Reads and writes <c>byte[]</c> as a JSON array of numbers, the way kotlinx.serialization encodes a Kotlin
/// <c>ByteArray</c> (the contracts' <c>Proxy</c> messages), instead of System.Text.Json's base64 string.
/// </summary>
/// <remarks>
/// Kotlin bytes are signed, so values are written as -128..127; reading accepts both signed and unsigned
/// (0..255, as JavaScript clients write them) forms.
/// </remarks>
internal sealed class ByteArrayAsNumbersConverter : JsonConverter<byte[]>
{
    public override byte[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"Expected an array of numbers for a byte array, got {reader.TokenType}.");
        }
        var bytes = new List<byte>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var value) || value is < sbyte.MinValue or > byte.MaxValue)
            {
                throw new JsonException("A byte array element must be an integer between -128 and 255.");
            }
            bytes.Add(unchecked((byte)value));
        }
        return [.. bytes];
    }

    public override void Write(Utf8JsonWriter writer, byte[] value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var b in value)
        {
            writer.WriteNumberValue(unchecked((sbyte)b));
        }
        writer.WriteEndArray();
    }
}

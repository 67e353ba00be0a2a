using System.Buffers;
using System.Text.Json;

namespace Restate.Sdk.Testing;

/// <summary>The JSON object bodies the test kit sends (admin API) and answers (Lambda emulator), written without reflection.</summary>
internal static class JsonObjectBody
{
    /// <summary>A UTF-8 JSON object with the properties <paramref name="writeProperties"/> writes.</summary>
    public static byte[] Write(Action<Utf8JsonWriter> writeProperties)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}

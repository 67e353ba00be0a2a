using System.Text;
using System.Text.Json;

namespace Restate.Sdk.Tests;

public sealed class SerdeTests
{
    [Fact]
    public void String_NonAsciiAndHtmlSensitiveCharacters_AreWrittenAsTheyAre()
    {
        var json = Encoding.UTF8.GetString(Serde.String.Serialize("Zürich's café + <b> & \"quotes\"").Span);

        Assert.Equal("\"Zürich's café + <b> & \\\"quotes\\\"\"", json);
    }

    [Fact]
    public void String_ControlCharacters_AreStillEscaped()
    {
        var json = Encoding.UTF8.GetString(Serde.String.Serialize("line\nbreak\u0001").Span);

        Assert.Equal("\"line\\nbreak\\u0001\"", json);
    }

    [Fact]
    public void String_RoundTripsThroughDeserialize()
    {
        const string Text = "ä'+ 日本";

        Assert.Equal(Text, Serde.String.Deserialize(Serde.String.Serialize(Text)));
    }

    [Fact]
    public void NullableSerdes_EmptyPayload_ReadAsNull()
    {
        Assert.Null(Serde.NullableString.Deserialize(ReadOnlyMemory<byte>.Empty));
        Assert.Null(Serde.NullableInt32.Deserialize(ReadOnlyMemory<byte>.Empty));
        Assert.Null(Serde.NullableInt64.Deserialize(ReadOnlyMemory<byte>.Empty));
        Assert.Null(Serde.NullableBoolean.Deserialize(ReadOnlyMemory<byte>.Empty));
        Assert.Null(Serde.NullableBytes.Deserialize(ReadOnlyMemory<byte>.Empty));
        Assert.Null(Serde.NullableJson(SchemaJson.Default.Product).Deserialize(ReadOnlyMemory<byte>.Empty));
        Assert.Null(Serde.NullableJson(SchemaJson.Default.NullableSize).Deserialize(ReadOnlyMemory<byte>.Empty));
    }

    [Fact]
    public void NullableSerdes_Null_RoundTripsAsJsonNull()
    {
        Assert.Equal("null", Encoding.UTF8.GetString(Serde.NullableString.Serialize(null).Span));
        Assert.Equal("null", Encoding.UTF8.GetString(Serde.NullableInt32.Serialize(null).Span));
        Assert.Null(Serde.NullableString.Deserialize(Serde.NullableString.Serialize(null)));
        Assert.Null(Serde.NullableInt64.Deserialize(Serde.NullableInt64.Serialize(null)));
        Assert.Null(Serde.NullableBoolean.Deserialize(Serde.NullableBoolean.Serialize(null)));
        Assert.True(Serde.NullableBytes.Serialize(null).IsEmpty);
    }

    [Fact]
    public void NullableSerdes_Values_RoundTrip()
    {
        Assert.Equal("hi", Serde.NullableString.Deserialize(Serde.NullableString.Serialize("hi")));
        Assert.Equal(7, Serde.NullableInt32.Deserialize(Serde.NullableInt32.Serialize(7)));
        Assert.Equal(1L << 40, Serde.NullableInt64.Deserialize(Serde.NullableInt64.Serialize(1L << 40)));
        Assert.False(Serde.NullableBoolean.Deserialize(Serde.NullableBoolean.Serialize(false)));
        Assert.Equal([1, 2], Serde.NullableBytes.Deserialize(Serde.NullableBytes.Serialize([1, 2])));
        Assert.Equal(Size.ExtraLarge, Serde.NullableJson(SchemaJson.Default.NullableSize).Deserialize("\"XL\""u8.ToArray()));
    }

    [Fact]
    public void NonNullableJsonSerdes_EmptyPayload_ThrowSayingThePayloadIsEmpty()
    {
        Assert.Equal("Expected a JSON String but the payload is empty.",
            Assert.Throws<JsonException>(() => Serde.String.Deserialize(ReadOnlyMemory<byte>.Empty)).Message);
        Assert.Equal("Expected a JSON Int32 but the payload is empty.",
            Assert.Throws<JsonException>(() => Serde.Int32.Deserialize(ReadOnlyMemory<byte>.Empty)).Message);
        Assert.Equal("Expected a JSON Product but the payload is empty.",
            Assert.Throws<JsonException>(() => Serde.Json(SchemaJson.Default.Product).Deserialize(ReadOnlyMemory<byte>.Empty)).Message);
    }

    [Fact]
    public void Bytes_EmptyPayload_ReadsAsAnEmptyArray() => Assert.Empty(Serde.Bytes.Deserialize(ReadOnlyMemory<byte>.Empty));

    [Fact]
    public void ReadOnlyMemory_Payload_PassesTheSameMemoryThroughBothWays()
    {
        var body = new byte[] { 0x7B, 0x20, 0x7D, 0xFF };
        ReadOnlyMemory<byte> memory = body;

        Assert.True(Serde.ReadOnlyMemory.Deserialize(memory).Span == body.AsSpan());
        Assert.True(Serde.ReadOnlyMemory.Serialize(memory).Span == body.AsSpan());
        Assert.True(Serde.ReadOnlyMemory.Deserialize(ReadOnlyMemory<byte>.Empty).IsEmpty);
        Assert.Equal("application/octet-stream", Serde.ReadOnlyMemory.ContentType);
        Assert.Null(Serde.ReadOnlyMemory.JsonSchema);
    }
}

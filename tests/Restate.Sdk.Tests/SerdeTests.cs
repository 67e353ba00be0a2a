using System.Text;

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
}

using System.Text.Json;
using Restate.Sdk.Generators.Parsing;

namespace Restate.Sdk.Generators.Tests;

/// <summary>The generator's helpers that must match external behaviour exactly.</summary>
public sealed class HelperTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("10s", 10_000)]
    [InlineData("5m", 300_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("1h 30m", 5_400_000)]
    [InlineData("2d", 172_800_000)]
    [InlineData("0s", 0)]
    public void Durations_ValidText_ParsesToMilliseconds(string text, long expected)
    {
        Assert.True(Durations.TryParseMilliseconds(text, out var milliseconds));
        Assert.Equal(expected, milliseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("s")]
    [InlineData("1.5s")]
    [InlineData("-1s")]
    [InlineData("10 seconds")]
    [InlineData("PT10S")]
    [InlineData("99999999999999999d")]
    public void Durations_InvalidText_IsRejected(string text) => Assert.False(Durations.TryParseMilliseconds(text, out _));

    [Theory]
    [InlineData("Name")]
    [InlineData("URLValue")]
    [InlineData("IOStream")]
    [InlineData("SHA512Hash")]
    [InlineData("XMLReader")]
    [InlineData("trip_id")]
    [InlineData("A")]
    [InlineData("ABC")]
    [InlineData("Run Type")]
    [InlineData("already-kebab")]
    [InlineData("Value2Go")]
    public void JsonNaming_EveryKnownPolicy_MatchesSystemTextJson(string name)
    {
        Assert.Equal(JsonNamingPolicy.CamelCase.ConvertName(name), JsonNaming.Convert(JsonNaming.CamelCase, name));
        Assert.Equal(JsonNamingPolicy.SnakeCaseLower.ConvertName(name), JsonNaming.Convert(JsonNaming.SnakeCaseLower, name));
        Assert.Equal(JsonNamingPolicy.SnakeCaseUpper.ConvertName(name), JsonNaming.Convert(JsonNaming.SnakeCaseUpper, name));
        Assert.Equal(JsonNamingPolicy.KebabCaseLower.ConvertName(name), JsonNaming.Convert(JsonNaming.KebabCaseLower, name));
        Assert.Equal(JsonNamingPolicy.KebabCaseUpper.ConvertName(name), JsonNaming.Convert(JsonNaming.KebabCaseUpper, name));
    }
}

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
}

namespace Restate.Sdk.Generators.Parsing;

/// <summary>
/// Parses the duration strings of the option attributes: one or more <c>&lt;integer&gt;&lt;unit&gt;</c> parts (units
/// <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c>, <c>d</c>; spaces between parts allowed), e.g. <c>"1h 30m"</c>.
/// </summary>
internal static class Durations
{
    public static bool TryParseMilliseconds(string? text, out long milliseconds)
    {
        milliseconds = 0;
        if (text is null)
        {
            return false;
        }
        var position = 0;
        var parts = 0;
        while (true)
        {
            while (position < text.Length && text[position] == ' ')
            {
                position++;
            }
            if (position == text.Length)
            {
                return parts > 0;
            }
            var digitsStart = position;
            long number = 0;
            while (position < text.Length && text[position] is >= '0' and <= '9')
            {
                number = (number * 10) + (text[position] - '0');
                if (number > 1_000_000_000_000L)
                {
                    return false;
                }
                position++;
            }
            if (position == digitsStart)
            {
                return false;
            }
            var unitStart = position;
            while (position < text.Length && text[position] is >= 'a' and <= 'z')
            {
                position++;
            }
            long factor = text.Substring(unitStart, position - unitStart) switch
            {
                "ms" => 1,
                "s" => 1000,
                "m" => 60_000,
                "h" => 3_600_000,
                "d" => 86_400_000,
                _ => 0,
            };
            if (factor == 0)
            {
                return false;
            }
            milliseconds += number * factor;
            if (milliseconds > 100L * 365 * 86_400_000)
            {
                return false;
            }
            parts++;
        }
    }
}

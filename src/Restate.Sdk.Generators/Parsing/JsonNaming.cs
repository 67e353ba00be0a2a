using System.Globalization;
using System.Text;

namespace Restate.Sdk.Generators.Parsing;

/// <summary>
/// System.Text.Json's known naming policies (<c>JsonKnownNamingPolicy</c>), reproduced so JSON schemas name
/// properties as the serializer will; the tests compare them with the real policies.
/// </summary>
internal static class JsonNaming
{
    public const int Unspecified = 0;
    public const int CamelCase = 1;
    public const int SnakeCaseLower = 2;
    public const int SnakeCaseUpper = 3;
    public const int KebabCaseLower = 4;
    public const int KebabCaseUpper = 5;

    public static string Convert(int policy, string name) => policy switch
    {
        CamelCase => ToCamelCase(name),
        SnakeCaseLower => WithSeparator(name, '_', lowercase: true),
        SnakeCaseUpper => WithSeparator(name, '_', lowercase: false),
        KebabCaseLower => WithSeparator(name, '-', lowercase: true),
        KebabCaseUpper => WithSeparator(name, '-', lowercase: false),
        _ => name,
    };

    private static string ToCamelCase(string name)
    {
        if (name.Length == 0 || !char.IsUpper(name[0]))
        {
            return name;
        }
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (i == 1 && !char.IsUpper(chars[i]))
            {
                break;
            }
            var hasNext = i + 1 < chars.Length;
            // A run of capitals is lowered up to the last one that starts the next word ("URLValue" -> "urlValue").
            if (i > 0 && hasNext && !char.IsUpper(chars[i + 1]))
            {
                if (chars[i + 1] == ' ')
                {
                    chars[i] = char.ToLowerInvariant(chars[i]);
                }
                break;
            }
            chars[i] = char.ToLowerInvariant(chars[i]);
        }
        return new string(chars);
    }

    private enum State
    {
        NotStarted,
        Upper,
        LowerOrDigit,
        Space,
    }

    private static string WithSeparator(string name, char separator, bool lowercase)
    {
        var result = new StringBuilder(name.Length + 8);
        var state = State.NotStarted;
        for (var i = 0; i < name.Length; i++)
        {
            var current = name[i];
            switch (char.GetUnicodeCategory(current))
            {
                case UnicodeCategory.UppercaseLetter:
                    if (state is State.LowerOrDigit or State.Space
                        || (state == State.Upper && i + 1 < name.Length && char.IsLower(name[i + 1])))
                    {
                        result.Append(separator);
                    }
                    result.Append(lowercase ? char.ToLowerInvariant(current) : current);
                    state = State.Upper;
                    break;
                case UnicodeCategory.LowercaseLetter:
                case UnicodeCategory.DecimalDigitNumber:
                    if (state == State.Space)
                    {
                        result.Append(separator);
                    }
                    result.Append(!lowercase && char.IsLower(current) ? char.ToUpperInvariant(current) : current);
                    state = State.LowerOrDigit;
                    break;
                case UnicodeCategory.SpaceSeparator:
                    if (state != State.NotStarted)
                    {
                        state = State.Space;
                    }
                    break;
                default:
                    result.Append(current);
                    state = State.NotStarted;
                    break;
            }
        }
        return result.ToString();
    }
}

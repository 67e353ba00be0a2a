using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Holiday.Bench;

/// <summary>
/// The command-line pieces both bench tools share, over System.CommandLine (linked into each tool): integer and path
/// options whose errors name the option, and what a tool does with <c>--help</c> or a bad command line.
/// </summary>
internal static class BenchCommandLine
{
    /// <summary>An integer of at least 1.</summary>
    public static Option<int> Positive(string name, int defaultValue, string description) =>
        Integer(name, defaultValue, description, minimum: 1, "a positive integer");

    /// <summary>An integer of at least 0.</summary>
    public static Option<int> NonNegative(string name, int defaultValue, string description) =>
        Integer(name, defaultValue, description, minimum: 0, "a non-negative integer");

    /// <summary>A path, made absolute against the current directory; null when the option is not given.</summary>
    public static Option<string?> FullPath(string name, string helpName, string description) => new(name)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = result => Path.GetFullPath(result.Tokens[0].Value),
    };

    /// <summary>A value that must be one of <paramref name="allowed"/>.</summary>
    public static Option<string> OneOf(string name, string defaultValue, string description, params string[] allowed) => new(name)
    {
        Description = description,
        HelpName = string.Join('|', allowed),
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            if (allowed.Contains(text, StringComparer.Ordinal))
            {
                return text;
            }
            result.AddError($"{name} must be {string.Join(", ", allowed[..^1])} or {allowed[^1]}, not '{text}'.");
            return defaultValue;
        },
    };

    /// <summary>
    /// A comma-separated list of distinct integers from 1 to <paramref name="maximum"/> (the closed loop's worker
    /// counts); null when the option is not given, so the tool's own default applies (a parser default would show in
    /// <c>--help</c> joined with '|').
    /// </summary>
    public static Option<IReadOnlyList<int>> IntegerList(string name, int maximum, string description) => new(name)
    {
        Description = description,
        HelpName = "LIST",
        Arity = ArgumentArity.ExactlyOne,
        CustomParser = result =>
        {
            var value = result.Tokens[0].Value;
            var list = new List<int>();
            foreach (var item in value.Split(',', StringSplitOptions.TrimEntries))
            {
                if (!int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 || n > maximum)
                {
                    result.AddError($"{name} must list integers from 1 to {maximum}, separated by commas; got '{value}'.");
                    return [];
                }

                list.Add(n);
            }

            if (list.Distinct().Count() != list.Count)
            {
                result.AddError($"{name} lists a value twice: '{value}'.");
            }

            return list;
        },
    };

    /// <summary>
    /// A comma-separated list of distinct names, each one of <paramref name="allowed"/>, in the order given; null when
    /// the option is not given.
    /// </summary>
    public static Option<IReadOnlyList<string>> NameList(string name, IReadOnlyList<string> allowed, string what, string description) => new(name)
    {
        Description = description,
        HelpName = "LIST",
        Arity = ArgumentArity.ExactlyOne,
        CustomParser = result =>
        {
            var value = result.Tokens[0].Value;
            var list = value.Split(',', StringSplitOptions.TrimEntries);
            foreach (var item in list)
            {
                if (!allowed.Contains(item, StringComparer.Ordinal))
                {
                    result.AddError($"{name} must list {what} from {string.Join(", ", allowed)}; got '{item}'.");
                    return [];
                }
            }

            if (list.Distinct(StringComparer.Ordinal).Count() != list.Length)
            {
                result.AddError($"{name} lists {(what.EndsWith('s') ? "a " + what[..^1] : what)} twice: '{value}'.");
            }

            return list;
        },
    };

    /// <summary>
    /// Parses <paramref name="args"/>. Returns the result to run with, or null after printing the help (exit code 0) or
    /// every error, each naming its option, and a pointer to <c>--help</c> (exit code 2).
    /// </summary>
    public static ParseResult? Parse(RootCommand command, IReadOnlyList<string> args, out int exitCode)
    {
        var result = command.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                Console.Error.WriteLine($"error: {error.Message}");
            }
            Console.Error.WriteLine("Run with --help for the options.");
            exitCode = 2;
            return null;
        }
        if (result.Action is not null)
        {
            exitCode = result.Invoke();
            return null;
        }
        exitCode = 0;
        return result;
    }

    private static Option<int> Integer(string name, int defaultValue, string description, int minimum, string what) => new(name)
    {
        Description = description,
        HelpName = "N",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= minimum)
            {
                return n;
            }
            result.AddError($"{name} must be {what}, not '{text}'.");
            return defaultValue;
        },
    };
}

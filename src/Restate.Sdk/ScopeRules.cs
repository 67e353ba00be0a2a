namespace Restate.Sdk;

/// <summary>
/// The rules restate-server applies to a scope and a limit key, checked before a call or send leaves the SDK so that a
/// mistake fails at the line that made it, with a message naming it, instead of as a retried invocation error.
/// </summary>
internal static class ScopeRules
{
    /// <summary>The longest scope, and the longest level of a limit key, restate-server accepts (in ASCII characters).</summary>
    public const int MaxLength = 36;

    /// <summary>The most levels a limit key has: <c>tenant1</c> or <c>tenant1/user7</c>.</summary>
    public const int MaxLimitKeyLevels = 2;

    /// <summary>Checks a scope and limit key pair; both null is the common case and passes.</summary>
    /// <exception cref="ArgumentException">A value breaks a rule; the message names the value and the rule.</exception>
    public static void Validate(string? scope, string? limitKey, string parameterName)
    {
        if (scope is not null)
        {
            CheckLevel(scope, "Scope", scope, parameterName);
        }
        if (limitKey is null)
        {
            return;
        }
        if (scope is null)
        {
            throw new ArgumentException(
                $"The limit key '{limitKey}' has no scope: set Scope as well. A limit key is a key under a scope (concurrency rules match " +
                "'scope/limitKey'), and restate-server refuses one without a scope ('limit-key requires a scope to be set').",
                parameterName);
        }
        var levels = limitKey.Split('/');
        if (levels.Length > MaxLimitKeyLevels)
        {
            throw new ArgumentException(
                $"The limit key '{limitKey}' has {levels.Length} levels; restate-server accepts at most {MaxLimitKeyLevels}, " +
                "separated by '/' (e.g. 'tenant1' or 'tenant1/user7').",
                parameterName);
        }
        foreach (var level in levels)
        {
            CheckLevel(level, "Limit key", limitKey, parameterName);
        }
    }

    private static void CheckLevel(string value, string what, string whole, string parameterName)
    {
        if (value.Length == 0)
        {
            throw new ArgumentException(
                whole.Length == 0
                    ? $"{what} must not be empty (leave it null for none)."
                    : $"{what} '{whole}' has an empty level: each level between '/' needs at least one character.",
                parameterName);
        }
        if (value.Length > MaxLength)
        {
            throw new ArgumentException(
                $"{what} '{whole}' is too long: '{value}' has {value.Length} characters, restate-server accepts at most {MaxLength}.",
                parameterName);
        }
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
            {
                throw new ArgumentException(
                    $"{what} '{whole}' contains '{c}': restate-server accepts only ASCII letters, digits, '_', '.' and '-'" +
                    (what == "Limit key" ? " (and one '/' between two levels)." : "."),
                    parameterName);
            }
        }
    }
}

using Restate.Sdk;

namespace Holiday.Services;

/// <summary>The check every handler makes on the id it acts on.</summary>
internal static class RequiredId
{
    /// <summary>The id; a terminal 400 naming <paramref name="field"/> when it is missing or blank.</summary>
    public static string Of(string? id, string field) =>
        string.IsNullOrWhiteSpace(id) ? throw new TerminalException($"{field} is required.", 400) : id;
}

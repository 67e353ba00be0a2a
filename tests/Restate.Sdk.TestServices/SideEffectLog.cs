namespace Restate.Sdk.TestServices;

/// <summary>
/// Records each execution of a side effect as a line in a file, so tests can count executions even across a
/// killed and restarted service process. The file path comes from the environment.
/// </summary>
public sealed class SideEffectLog(string path)
{
    private readonly Lock _lock = new();

    public const string PathVariable = "TEST_SIDE_EFFECT_LOG";

    public string Path { get; } = path;

    public void Record(string entry)
    {
        lock (_lock)
        {
            File.AppendAllText(Path, entry + "\n");
        }
    }

    public int Count(string entry) => File.Exists(Path) ? File.ReadAllLines(Path).Count(line => line == entry) : 0;

    /// <summary>The entries that start with <paramref name="prefix"/>, in the order they were recorded.</summary>
    public IReadOnlyList<string> EntriesStartingWith(string prefix)
    {
        lock (_lock)
        {
            return File.Exists(Path) ? [.. File.ReadAllLines(Path).Where(line => line.StartsWith(prefix, StringComparison.Ordinal))] : [];
        }
    }
}

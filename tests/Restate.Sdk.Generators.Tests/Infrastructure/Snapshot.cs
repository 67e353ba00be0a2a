using System.Runtime.CompilerServices;

namespace Restate.Sdk.Generators.Tests.Infrastructure;

/// <summary>
/// Compares generated source with the committed file under <c>Snapshots/</c>. Set <c>RESTATE_UPDATE_SNAPSHOTS=1</c> to
/// write the current output there instead (then review the diff and commit it).
/// </summary>
public static class Snapshot
{
    public const string UpdateVariable = "RESTATE_UPDATE_SNAPSHOTS";

    public static void Match(string actual, string name, [CallerFilePath] string callerFile = "")
    {
        var path = Path.Combine(Path.GetDirectoryName(callerFile)!, "Snapshots", name);
        actual = actual.ReplaceLineEndings("\n");
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }
        Assert.True(File.Exists(path), $"No snapshot {path}: run the tests with {UpdateVariable}=1 to create it.");
        var expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        Assert.Equal(expected, actual);
    }
}

using System.Reflection;

namespace Restate.Sdk.Generators.Tests.Infrastructure;

/// <summary>
/// Compares generated source with the committed file under <c>Snapshots/</c>. Set <c>RESTATE_UPDATE_SNAPSHOTS=1</c> to
/// write the current output there instead (then review the diff and commit it).
/// </summary>
public static class Snapshot
{
    public const string UpdateVariable = "RESTATE_UPDATE_SNAPSHOTS";

    // The project directory is stamped into the assembly at build time (see the csproj): the source path the compiler
    // sees is remapped to /_/ in CI builds, so neither [CallerFilePath] nor the PDB can locate the files there.
    private static readonly string Directory = typeof(Snapshot).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "SnapshotDirectory").Value!;

    public static void Match(string actual, string name)
    {
        var path = Path.Combine(Directory, name);
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

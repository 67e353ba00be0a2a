namespace Holiday.Cdk.Tests;

/// <summary>The repository root and stand-in asset folders.</summary>
public static class TestAssets
{
    /// <summary>The folder holding cdk.json, found by walking up from the test output folder.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>
    /// A Lambda asset folder shaped like <c>artifacts/lambda</c>: <c>bootstrap</c> and <c>libsodium.so</c>, which the
    /// zip needs, and the files the zip must leave out.
    /// </summary>
    public static string CreateLambdaFolder(string path, string bootstrapContent)
    {
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "bootstrap"), bootstrapContent);
        File.WriteAllText(Path.Combine(path, "libsodium.so"), "native library");
        foreach (var excluded in ExcludedFiles)
        {
            File.WriteAllText(Path.Combine(path, excluded), "left out of the zip");
        }
        return path;
    }

    public static string CreateRegistrarFolder(string path)
    {
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "bootstrap"), "registrar");
        return path;
    }

    /// <summary>Debug symbols, XML docs and the publish lock, as <c>dotnet publish</c> leaves them next to bootstrap.</summary>
    public static IReadOnlyList<string> ExcludedFiles { get; } = ["bootstrap.dbg", "Holiday.pdb", "Restate.Sdk.xml", ".publish.lock"];

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "cdk.json")) && File.Exists(Path.Combine(dir.FullName, "Holiday.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("No parent folder of the test output holds cdk.json and Holiday.sln.");
    }
}

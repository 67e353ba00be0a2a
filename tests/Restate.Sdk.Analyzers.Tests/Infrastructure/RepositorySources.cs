namespace Restate.Sdk.Analyzers.Tests.Infrastructure;

/// <summary>The C# files of real projects in this repository, found from the test assembly's location.</summary>
internal static class RepositorySources
{
    private static readonly Lazy<string> RootDirectory = new(() =>
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Directory.Packages.props")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No repository root above {AppContext.BaseDirectory}.");
    });

    /// <summary>The repository root (the folder with Directory.Packages.props).</summary>
    public static string Root => RootDirectory.Value;

    /// <summary>Every <c>.cs</c> file under the given repository folders, without build output (<c>bin</c>, <c>obj</c>).</summary>
    public static IReadOnlyList<string> CSharpFiles(params string[] folders) =>
        [.. folders
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(Root, folder), "*.cs", SearchOption.AllDirectories))
            .Where(path => !path.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .Order(StringComparer.Ordinal)];
}

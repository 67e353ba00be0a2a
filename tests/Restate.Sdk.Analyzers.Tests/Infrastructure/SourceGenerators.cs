using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Restate.Sdk.Analyzers.Tests.Infrastructure;

/// <summary>
/// The JSON, regex and logging source generators this test project itself compiles with (listed at build time in
/// <c>source-generators.txt</c>), so real sources that rely on them compile here as they do in their own projects.
/// </summary>
internal static class SourceGenerators
{
    private static readonly Lazy<IReadOnlyList<ISourceGenerator>> Loaded = new(Load);

    public static IReadOnlyList<ISourceGenerator> All => Loaded.Value;

    private static List<ISourceGenerator> Load()
    {
        var listing = Path.Combine(AppContext.BaseDirectory, "source-generators.txt");
        // The same generator can come from a targeting pack and from a package; one copy of each is enough.
        return [.. File.ReadAllLines(listing)
            .Where(line => line.Length > 0)
            .GroupBy(Path.GetFileName, StringComparer.Ordinal)
            .Select(group => group.First())
            .SelectMany(path => new AnalyzerFileReference(path, AssemblyLoader.Instance).GetGenerators(Microsoft.CodeAnalysis.LanguageNames.CSharp))];
    }

    private sealed class AssemblyLoader : IAnalyzerAssemblyLoader
    {
        public static readonly AssemblyLoader Instance = new();

        public void AddDependencyLocation(string fullPath)
        {
        }

        public Assembly LoadFromPath(string fullPath) => Assembly.LoadFrom(fullPath);
    }
}

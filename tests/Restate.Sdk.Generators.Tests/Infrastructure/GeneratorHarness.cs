using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.Extensions.Logging;

namespace Restate.Sdk.Generators.Tests.Infrastructure;

/// <summary>The outcome of running the Restate generator (and System.Text.Json's) over one source file.</summary>
/// <param name="GeneratorDiagnostics">What the Restate generator reported.</param>
/// <param name="GeneratedSources">The Restate generator's files by hint name.</param>
/// <param name="CompilationDiagnostics">Errors and warnings of the whole compilation after generation.</param>
public sealed record GeneratorRun(
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    IReadOnlyDictionary<string, string> GeneratedSources,
    ImmutableArray<Diagnostic> CompilationDiagnostics);

/// <summary>
/// Compiles test sources against the .NET reference assemblies and Restate.Sdk, runs the Restate generator together
/// with the System.Text.Json generator (so the emitted <c>AppJson.Default.X</c> references are checked), and returns
/// what came out.
/// </summary>
public static class GeneratorHarness
{
    // Diagnose doc comments, so malformed XML docs in the generated code fail the snapshot tests.
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.Diagnose);
    private static readonly Lazy<(ImmutableArray<MetadataReference> References, ISourceGenerator Json)> Environment = new(Load);
    private static readonly MetadataReference ClientReference = MetadataReference.CreateFromFile(typeof(Client.RestateClient).Assembly.Location);

    public static CSharpParseOptions Parsing => ParseOptions;

    /// <param name="source">The test source.</param>
    /// <param name="withClient">Also reference Restate.Sdk.Client, as a project calling services from outside Restate does.</param>
    public static CSharpCompilation Compile(string source, bool withClient = false) =>
        CSharpCompilation.Create("GeneratorTests",
            [CSharpSyntaxTree.ParseText(source, ParseOptions, path: "Input.cs")],
            withClient ? Environment.Value.References.Add(ClientReference) : Environment.Value.References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorRun Run(string source, bool withClient = false)
    {
        var compilation = Compile(source, withClient);
        var restate = new RestateGenerator();
        GeneratorDriver driver = CSharpGeneratorDriver.Create([restate.AsSourceGenerator(), Environment.Value.Json], parseOptions: ParseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        var result = driver.GetRunResult().Results.Single(r => r.Generator.GetGeneratorType() == typeof(RestateGenerator));
        if (result.Exception is not null)
        {
            throw new InvalidOperationException("The Restate generator threw.", result.Exception);
        }
        return new GeneratorRun(
            result.Diagnostics,
            result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString()),
            [.. output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning)]);
    }

    private static (ImmutableArray<MetadataReference>, ISourceGenerator) Load()
    {
        // The targeting pack of the running .NET: reference assemblies to compile against, and the System.Text.Json
        // source generator that makes the JsonSerializerContext members the Restate generator's output uses.
        var dotnetRoot = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var pack = Directory.GetDirectories(Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref"), $"{System.Environment.Version.Major}.*")
            .OrderBy(d => Version.Parse(Path.GetFileName(d).Split('-')[0]))
            .Last();
        var referenceDirectory = Directory.GetDirectories(Path.Combine(pack, "ref")).Single();
        var references = Directory.GetFiles(referenceDirectory, "*.dll")
            .Append(typeof(Context).Assembly.Location)
            .Append(typeof(ILogger).Assembly.Location)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
        var generatorAssembly = Assembly.LoadFrom(Directory.GetFiles(Path.Combine(pack, "analyzers"), "System.Text.Json.SourceGeneration.dll",
            SearchOption.AllDirectories).Single());
        var generatorType = generatorAssembly.GetTypes().Single(t => t.Name == "JsonSourceGenerator");
        var generator = ((IIncrementalGenerator)Activator.CreateInstance(generatorType)!).AsSourceGenerator();
        return (references, generator);
    }
}

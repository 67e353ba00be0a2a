using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Restate.Sdk.Analyzers.Tests.Infrastructure;

/// <summary>
/// Compiles C# source against the running runtime's assemblies (which include Restate.Sdk, AWS SDK and ASP.NET Core)
/// and runs the Restate analyzers over it, standing in for Microsoft.CodeAnalysis.Analyzer.Testing.
/// </summary>
internal static class AnalyzerHarness
{
    /// <summary>The usings every snippet gets, so tests show only the code that matters.</summary>
    private const string SnippetUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.Diagnostics;
        global using System.Linq;
        global using System.Security.Cryptography;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private const string RestateUsings = """
        global using Restate.Sdk;
        global using Restate.Sdk.Definitions;
        """;

    /// <summary>The implicit usings of a Microsoft.NET.Sdk project (ImplicitUsings enable), as the real projects have.</summary>
    private const string ProjectUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static readonly Lazy<ImmutableArray<MetadataReference>> PlatformReferences = new(() =>
        [.. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))]);

    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Preview);

    public static ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } =
    [
        new HandlerApiAnalyzer(),
        new TaskCombinatorAnalyzer(),
        new ConfigureAwaitAnalyzer(),
        new RunClosureContextAnalyzer(),
        new SwallowedAttemptEndAnalyzer(),
    ];

    /// <summary>Asserts that the analyzers report exactly the marked diagnostics of <paramref name="markedSource"/>, and nothing else.</summary>
    public static async Task VerifyAsync(string markedSource)
    {
        var source = MarkedSource.Parse(markedSource);
        var diagnostics = await AnalyzeSnippetAsync(source.Text);
        var actual = diagnostics.Select(d => new ExpectedDiagnostic(d.Id, d.Location.SourceSpan)).OrderBy(d => d.Span.Start).ThenBy(d => d.Id).ToList();
        var expected = source.Expected.OrderBy(d => d.Span.Start).ThenBy(d => d.Id).ToList();
        if (!actual.SequenceEqual(expected))
        {
            Assert.Fail($"Expected:\n{Describe(expected, source.Text)}\nActual:\n{Describe(actual, source.Text)}\nMessages:\n" +
                string.Join('\n', diagnostics.Select(d => $"  {d}")));
        }
    }

    /// <summary>
    /// Compiles one snippet (with <see cref="SnippetUsings"/>, and Restate.Sdk unless <paramref name="referenceRestate"/>
    /// is false) and returns the analyzers' diagnostics.
    /// </summary>
    public static async Task<ImmutableArray<Diagnostic>> AnalyzeSnippetAsync(string source, bool referenceRestate = true)
    {
        var usings = referenceRestate ? SnippetUsings + "\n" + RestateUsings : SnippetUsings;
        var compilation = Compile("Snippet", OutputKind.DynamicallyLinkedLibrary, [Parse(usings, "Usings.cs"), Parse(source, "Snippet.cs")],
            referenceRestate ? null : file => !file.StartsWith("Restate.Sdk", StringComparison.Ordinal));
        AssertCompiles(compilation);
        return await AnalyzeAsync(compilation);
    }

    /// <summary>
    /// Compiles the C# files of a real project (with its implicit usings and the source generators it uses) and returns
    /// the analyzers' diagnostics, after asserting that it compiles without errors.
    /// </summary>
    public static async Task<ImmutableArray<Diagnostic>> AnalyzeProjectFilesAsync(string assemblyName, OutputKind kind, IEnumerable<string> paths)
    {
        var trees = paths.Select(path => Parse(File.ReadAllText(path), path)).Prepend(Parse(ProjectUsings, "ImplicitUsings.cs"));
        var compilation = Compile(assemblyName, kind, trees, referenceFilter: null);
        CSharpGeneratorDriver.Create([.. SourceGenerators.All], parseOptions: ParseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out var generated, out _);
        AssertCompiles(generated);
        return await AnalyzeAsync(generated);
    }

    public static string Describe(IEnumerable<Diagnostic> diagnostics) =>
        string.Join('\n', diagnostics.Select(d => $"  {d.Location.GetLineSpan()}: {d.Id} {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}"));

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Compilation compilation) =>
        await compilation.WithAnalyzers(Analyzers).GetAnalyzerDiagnosticsAsync();

    private static CSharpCompilation Compile(string assemblyName, OutputKind kind, IEnumerable<SyntaxTree> trees, Func<string, bool>? referenceFilter) =>
        CSharpCompilation.Create(assemblyName, trees,
            referenceFilter is null ? PlatformReferences.Value : PlatformReferences.Value.Where(r => referenceFilter(Path.GetFileName(r.Display!))),
            new CSharpCompilationOptions(kind, nullableContextOptions: NullableContextOptions.Enable));

    private static SyntaxTree Parse(string text, string path) => CSharpSyntaxTree.ParseText(text, ParseOptions, path, Encoding.UTF8);

    private static void AssertCompiles(Compilation compilation)
    {
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "The test source does not compile:\n" + string.Join('\n', errors.Take(20)));
    }

    private static string Describe(IEnumerable<ExpectedDiagnostic> diagnostics, string text) =>
        string.Join('\n', diagnostics.Select(d => $"  {d.Id} at {d.Span}: '{text[d.Span.Start..d.Span.End]}'"));
}

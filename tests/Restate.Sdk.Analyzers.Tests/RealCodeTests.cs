using Microsoft.CodeAnalysis;
using Restate.Sdk.Analyzers.Tests.Infrastructure;

namespace Restate.Sdk.Analyzers.Tests;

/// <summary>The analyzers over the repository's real handlers: they must compile here and report nothing.</summary>
public sealed class RealCodeTests
{
    [Fact]
    public async Task HolidayServices_ReportNoDiagnostics()
    {
        var files = RepositorySources.CSharpFiles("src/Holiday/Services", "src/Holiday/Domain", "src/Holiday/Data");

        var diagnostics = await AnalyzerHarness.AnalyzeProjectFilesAsync("Holiday", OutputKind.DynamicallyLinkedLibrary, files);

        Assert.True(diagnostics.IsEmpty, AnalyzerHarness.Describe(diagnostics));
    }

    [Fact]
    public async Task ConformanceServices_ReportNoDiagnostics()
    {
        var files = RepositorySources.CSharpFiles("tests/Restate.Sdk.Conformance.Services");

        var diagnostics = await AnalyzerHarness.AnalyzeProjectFilesAsync("Restate.Sdk.Conformance.Services", OutputKind.ConsoleApplication, files);

        Assert.True(diagnostics.IsEmpty, AnalyzerHarness.Describe(diagnostics));
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Restate.Sdk.Analyzers.Tests.Infrastructure;

namespace Restate.Sdk.Analyzers.Tests;

/// <summary>The rules' metadata and their documentation stay in step.</summary>
public sealed partial class DescriptorTests
{
    private static readonly IReadOnlyList<DiagnosticDescriptor> Descriptors =
        [.. AnalyzerHarness.Analyzers.SelectMany(analyzer => analyzer.SupportedDiagnostics)];

    [Fact]
    public void Descriptors_HaveUniqueRestateIdsCategoryAndHelpLinks()
    {
        Assert.Equal(Descriptors.Count, Descriptors.Select(d => d.Id).Distinct().Count());
        Assert.All(Descriptors, descriptor =>
        {
            Assert.Matches(IdPattern(), descriptor.Id);
            Assert.Equal("Restate", descriptor.Category);
            Assert.True(descriptor.IsEnabledByDefault);
            Assert.Equal("docs/analyzers.md#" + descriptor.Id.ToLowerInvariant(), descriptor.HelpLinkUri);
            Assert.NotEmpty(descriptor.Description.ToString(CultureInfo.InvariantCulture));
        });
    }

    [Fact]
    public void Descriptors_AreWarnings_ExceptTheTaskCombinatorHint()
    {
        Assert.All(Descriptors, descriptor => Assert.Equal(
            descriptor.Id == "RESTATE104" ? DiagnosticSeverity.Info : DiagnosticSeverity.Warning, descriptor.DefaultSeverity));
    }

    [Fact]
    public void AnalyzersDoc_HasOneSectionPerDiagnostic()
    {
        var doc = File.ReadAllText(Path.Combine(RepositorySources.Root, "docs", "analyzers.md"));
        var sections = HeadingPattern().Matches(doc).Select(match => match.Groups[1].Value).ToList();

        Assert.Equal(Descriptors.Select(d => d.Id).Order(StringComparer.Ordinal), sections);
    }

    [GeneratedRegex("^RESTATE1[0-9]{2}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^## (RESTATE[0-9]{3})\\b", RegexOptions.Multiline)]
    private static partial Regex HeadingPattern();
}

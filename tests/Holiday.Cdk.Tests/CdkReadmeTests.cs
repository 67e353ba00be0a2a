using System.Reflection;
using System.Text.RegularExpressions;

namespace Holiday.Cdk.Tests;

/// <summary>cdk/README.md says what the code does: its lists are checked against the code's.</summary>
public sealed partial class CdkReadmeTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(TestAssets.RepositoryRoot, "cdk", "README.md"));

    [Fact]
    public void Readme_ListsEveryAcknowledgedFindingWithItsReason()
    {
        var rows = Readme.Split('\n').Where(line => line.StartsWith("| cdk-nag |", StringComparison.Ordinal)
            || line.StartsWith("| cfn-guard |", StringComparison.Ordinal) || line.StartsWith("| schema |", StringComparison.Ordinal)).ToList();

        var expected = Acknowledgements.Load().Entries
            .Select(a => $"| {a.Validator} | `{a.Rule}` | `{a.Resource.Replace("|", "\\|", StringComparison.Ordinal)}` | {a.Reason.Replace("|", "\\|", StringComparison.Ordinal)} |")
            .ToList();

        Assert.Equal(expected.Order(StringComparer.Ordinal), rows.Select(r => r.TrimEnd()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Readme_ListsTheRegionsOfTheAdotCollectorLayer()
    {
        var paragraph = Readme[Readme.IndexOf("in 16 regions only:", StringComparison.Ordinal)..];
        paragraph = paragraph[..paragraph.IndexOf(". ", StringComparison.Ordinal)];

        var regions = RegionName().Matches(paragraph).Select(m => m.Value);

        Assert.Equal(AdotCollectorLayer.Regions.Order(StringComparer.Ordinal), regions.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Readme_DocumentsEveryContextKey()
    {
        var keys = typeof(DeploymentContext).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name.EndsWith("Key", StringComparison.Ordinal))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

        Assert.NotEmpty(keys);
        Assert.All(keys, key => Assert.Contains($"| `{key}` |", Readme, StringComparison.Ordinal));
    }

    [GeneratedRegex(@"\b[a-z]{2}-[a-z]+-\d\b")]
    private static partial Regex RegionName();
}

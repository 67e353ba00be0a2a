using System.Text.RegularExpressions;

namespace Restate.Sdk.Packaging.Tests;

/// <summary>
/// <c>docs/getting-started.md</c> shows code and commands of the templates; these tests fail when the templates change
/// and the page does not (the template tests run the templates themselves).
/// </summary>
public sealed partial class GettingStartedTests
{
    private static readonly string Root = PackageFeed.RepositoryRoot();
    private static readonly string Page = File.ReadAllText(Path.Combine(Root, "docs", "getting-started.md"));

    [Fact]
    public void EveryCSharpBlock_IsCodeOfATemplate_LineForLine()
    {
        var templates = Directory.EnumerateFiles(Path.Combine(Root, "templates", "content"), "*.cs", SearchOption.AllDirectories)
            .ToDictionary(path => path, path => CodeLines(File.ReadAllText(path)));
        var blocks = CSharpBlock().Matches(Page).Select(match => CodeLines(match.Groups[1].Value)).ToList();

        Assert.NotEmpty(blocks);
        foreach (var block in blocks)
        {
            Assert.True(templates.Values.Any(file => ContainsInOrder(file, block)),
                $"This block of docs/getting-started.md is not code of any template file (templates/content/**/*.cs):\n{string.Join('\n', block)}");
        }
    }

    [Theory]
    [InlineData("restate-service", "RestateApp", "Acme.Orders")]
    [InlineData("restate-lambda", "RestateFunction", "Acme.Payments")]
    public void TheTemplatesCommands_AreThoseOfTheirReadme(string template, string sourceName, string projectName)
    {
        // The page names the project; each template's README (which the template test follows) names its sourceName.
        var readme = File.ReadAllText(Path.Combine(Root, "templates", "content", template, "README.md"));
        foreach (var command in ShellLines(readme).Where(line => line.StartsWith("dotnet ", StringComparison.Ordinal) || line.StartsWith("(cd out", StringComparison.Ordinal)))
        {
            Assert.Contains(command.Replace(sourceName, projectName, StringComparison.Ordinal), ShellLines(Page));
        }
    }

    /// <summary>Non-empty lines, trimmed, without a trailing <c>//</c> comment.</summary>
    private static List<string> CodeLines(string code) => code.Split('\n')
        .Select(line => TrailingComment().Replace(line, "").Trim())
        .Where(line => line.Length > 0)
        .ToList();

    private static List<string> ShellLines(string markdown) => ShellBlock().Matches(markdown)
        .SelectMany(match => match.Groups[1].Value.Split('\n'))
        .Select(line => TrailingShellComment().Replace(line, "").Trim())
        .Where(line => line.Length > 0)
        .ToList();

    private static bool ContainsInOrder(List<string> file, List<string> block)
    {
        for (var start = 0; start + block.Count <= file.Count; start++)
        {
            if (file.Skip(start).Take(block.Count).SequenceEqual(block))
            {
                return true;
            }
        }
        return false;
    }

    [GeneratedRegex(@"```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex(@"```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShellBlock();

    [GeneratedRegex(@"\s//\s.*$")]
    private static partial Regex TrailingComment();

    [GeneratedRegex(@"\s+#\s.*$")]
    private static partial Regex TrailingShellComment();
}

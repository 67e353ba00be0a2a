using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Restate.Sdk.Generators.Tests.Infrastructure;

namespace Restate.Sdk.Generators.Tests;

/// <summary>The pipeline's models are value-equatable: an edit that changes no service reuses every cached output.</summary>
public sealed class IncrementalityTests
{
    private const string Source = """
        using System.Text.Json.Serialization;
        using System.Threading.Tasks;
        using Restate.Sdk;

        [assembly: RestateSerializer(typeof(AppJson))]

        public sealed record Booking(string Id);

        [JsonSerializable(typeof(Booking))]
        internal sealed partial class AppJson : JsonSerializerContext;

        [VirtualObject("flights")]
        public partial class Flights
        {
            [Handler] public Task<Booking> ReserveAsync(ObjectContext ctx, Booking booking) => Task.FromResult(booking);
            [Shared] [Handler] public Task<Booking?> GetAsync(SharedObjectContext ctx) => Task.FromResult<Booking?>(null);
        }
        """;

    [Fact]
    public void UnrelatedEditOfTheSameFile_SecondRun_EveryOutputIsCachedOrUnchanged()
    {
        var compilation = GeneratorHarness.Compile(Source);
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new RestateGenerator().AsSourceGenerator()],
            parseOptions: GeneratorHarness.Parsing,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = driver.RunGenerators(compilation);

        // Appended to the same file, so the attributed class is parsed again but its model (locations included) is equal.
        var tree = compilation.SyntaxTrees.Single();
        var edited = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(SourceText.From(
            Source + "\npublic sealed class Unrelated { public int Value { get; set; } }\n")));
        driver = driver.RunGenerators(edited);

        var result = Assert.Single(driver.GetRunResult().Results);
        Assert.Single(result.GeneratedSources);
        // The class was parsed again (its file changed) and gave an equal model, so nothing downstream ran.
        var models = result.TrackedSteps[RestateGenerator.ServiceModelStep].SelectMany(step => step.Outputs).ToList();
        Assert.Equal([IncrementalStepRunReason.Unchanged], models.Select(m => m.Reason));
        var outputs = result.TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(step => step.Outputs).ToList();
        Assert.All(outputs, output => Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
            $"An output step ran again ({output.Reason}): a pipeline model is not value-equatable."));
    }

    [Fact]
    public void HandlerEdit_SecondRun_RegeneratesTheService()
    {
        var compilation = GeneratorHarness.Compile(Source);
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new RestateGenerator().AsSourceGenerator()], parseOptions: GeneratorHarness.Parsing);
        driver = driver.RunGenerators(compilation);
        var tree = compilation.SyntaxTrees.Single();

        var edited = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(SourceText.From(
            Source.Replace("[Handler] public Task<Booking> ReserveAsync", "[Handler(\"book\")] public Task<Booking> ReserveAsync", StringComparison.Ordinal))));
        driver = driver.RunGenerators(edited);

        var source = Assert.Single(Assert.Single(driver.GetRunResult().Results).GeneratedSources).SourceText.ToString();
        Assert.Contains("\"book\"", source, StringComparison.Ordinal);
    }
}

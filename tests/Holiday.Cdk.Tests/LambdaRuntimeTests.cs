using System.Text.Json.Nodes;

namespace Holiday.Cdk.Tests;

/// <summary>
/// Every function of every template runs on a runtime Lambda still creates functions on (<see cref="LambdaRuntimes"/>),
/// in every mode, with and without a known region, in both partitions, Mappings included.
/// </summary>
[Collection(CdkSynthGroup.Name)]
public sealed class LambdaRuntimeTests(CdkFixture fixture)
{
    public static TheoryData<string, string?> Variants => new()
    {
        { "self-hosted", null },
        { "self-hosted", "us-east-1" },
        { "self-hosted", "cn-north-1" },
        { "prefixed", null },
        { "cloud", null },
        { "cloud", "eu-central-1" },
    };

    private SynthesizedApp Synth(string variant, string? region) => variant switch
    {
        "prefixed" => fixture.Synth(new Dictionary<string, object> { ["prefix"] = "demo" }, region),
        "cloud" => fixture.Synth(CdkFixture.Cloud, region),
        _ => fixture.Synth(CdkFixture.SelfHosted, region),
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void EveryRuntime_IsOnTheSupportedList(string variant, string? region)
    {
        var app = Synth(variant, region);

        var runtimes = app.Templates.SelectMany(RuntimesIn).ToList();

        Assert.NotEmpty(runtimes);
        Assert.All(runtimes, runtime => Assert.True(LambdaRuntimes.Supported.ContainsKey(runtime),
            $"{runtime} is not among the runtimes checked on {LambdaRuntimes.CheckedOn}: {string.Join(", ", LambdaRuntimes.Supported.Keys)}"));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void OnlyTheProviderFrameworkIsNodeJs_PinnedToALiteralRuntime_AndEveryOtherFunctionIsANativeAotBootstrap(string variant, string? region)
    {
        var app = Synth(variant, region);

        Assert.Empty(app.RestateJson.Resources("AWS::Lambda::Function"));
        var functions = app.HolidayJson.Resources("AWS::Lambda::Function");
        Assert.Equal(6, functions.Count);
        var framework = Assert.Single(functions, f => (string?)f.Value.Properties()["Handler"] == "framework.onEvent");
        Assert.Equal(LambdaRuntimes.NodeJs, (string?)framework.Value.Properties()["Runtime"]);
        Assert.All(functions.Where(f => f.Key != framework.Key), f => Assert.Equal(LambdaRuntimes.NativeAot, (string?)f.Value.Properties()["Runtime"]));
        // CDK's per-region choice of its default Node.js runtime is gone with it.
        Assert.Null(app.HolidayJson["Mappings"]?[RestateRegistrar.DefaultNodeRuntimeMapping]);
    }

    [Fact]
    public void SupportedList_HasADeprecationDateAfterTheCheckForEveryDatedRuntime()
    {
        Assert.All(LambdaRuntimes.Supported.Where(r => r.Value is not null), r => Assert.True(r.Value > LambdaRuntimes.CheckedOn, r.Key));
        Assert.Contains(LambdaRuntimes.NodeJs, LambdaRuntimes.Supported.Keys);
        Assert.Contains(LambdaRuntimes.NativeAot, LambdaRuntimes.Supported.Keys);
    }

    [Fact]
    public void RuntimesIn_ReadsLiteralsMappedRuntimesAndEveryRuntimeInMappings()
    {
        // The reader the tests above rely on must see a runtime wherever a template can hold one.
        var template = JsonNode.Parse("""
            {
              "Mappings": { "LatestNodeRuntimeMap": { "us-east-1": { "value": "nodejs20.x" }, "cn-north-1": { "value": "nodejs18.x" } },
                            "Other": { "a": { "b": "python3.9" } } },
              "Resources": {
                "A": { "Type": "AWS::Lambda::Function", "Properties": { "Runtime": "java8" } },
                "B": { "Type": "AWS::Lambda::Function", "Properties": { "Runtime": { "Fn::FindInMap": ["LatestNodeRuntimeMap", { "Ref": "AWS::Region" }, "value"] } } }
              }
            }
            """)!.AsObject();

        Assert.Equal(["java8", "nodejs18.x", "nodejs20.x", "python3.9"], RuntimesIn(template).Distinct().Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// Every runtime a template can deploy: literal <c>Runtime</c> properties, every value of a mapping a runtime is
    /// looked up in, and any runtime-looking value anywhere in <c>Mappings</c>. Any other runtime expression fails.
    /// </summary>
    private static IEnumerable<string> RuntimesIn(JsonObject template)
    {
        var mappings = template["Mappings"]?.AsObject();
        foreach (var (id, function) in template.Resources("AWS::Lambda::Function"))
        {
            switch (function.Properties()["Runtime"])
            {
                case JsonValue literal:
                    yield return literal.GetValue<string>();
                    break;
                case JsonObject { Count: 1 } lookup when lookup["Fn::FindInMap"] is JsonArray findInMap:
                    var mapping = mappings?[(string)findInMap[0]!]?.AsObject() ?? throw new InvalidOperationException($"{id} looks its runtime up in a mapping the template lacks");
                    foreach (var entry in mapping)
                    {
                        yield return (string)entry.Value![(string)findInMap[2]!]!;
                    }
                    break;
                case var other:
                    throw new InvalidOperationException($"{id} has a runtime this test cannot read: {other?.ToJsonString()}");
            }
        }
        foreach (var value in Leaves(mappings).Where(LooksLikeRuntime))
        {
            yield return value;
        }
    }

    private static IEnumerable<string> Leaves(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => Leaves(p.Value)),
        JsonArray array => array.SelectMany(Leaves),
        JsonValue value when value.TryGetValue<string>(out var text) => [text],
        _ => [],
    };

    private static bool LooksLikeRuntime(string value) =>
        System.Text.RegularExpressions.Regex.IsMatch(value, @"^(nodejs|python|java|dotnet|ruby|provided|go)[0-9a-z.]*$");
}

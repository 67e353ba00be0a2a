using System.Runtime.CompilerServices;

namespace Holiday.Cdk.Tests;

/// <summary>
/// AWS's own template validators (cfn-guard with the Control Tower proactive controls, cdk-nag's AwsSolutions and
/// Serverless packs, and a check against the CloudFormation resource specification) over both stacks of every
/// deployment variant. A finding fails the test unless <c>cdk/validation/acknowledged.json</c> accepts it with a reason,
/// and an acknowledgement that no variant needs fails too.
/// </summary>
[Collection(CdkSynthGroup.Name)]
public sealed class TemplateValidationTests(CdkFixture fixture)
{
    /// <summary>Every variant is synthesized once, and each validator runs once over all their templates.</summary>
    private static readonly ConditionalWeakTable<CdkFixture, Lazy<Task<ValidationRun>>> Runs = [];

    /// <summary>A deployment variant: its context overrides, and the region synth targets (null: environment-agnostic).</summary>
    public sealed record Variant(IReadOnlyDictionary<string, object> Overrides, string? Region = null);

    public static IReadOnlyDictionary<string, Variant> Variants { get; } = new Dictionary<string, Variant>
    {
        ["self-hosted"] = new(CdkFixture.SelfHosted),
        ["prefixed"] = new(new Dictionary<string, object> { [DeploymentContext.PrefixKey] = "demo" }),
        ["cloud"] = new(CdkFixture.Cloud),
        ["certificate"] = new(new Dictionary<string, object> { [DeploymentContext.CertificateArnKey] = CdkFixture.CertificateArn }),
        ["no-collector"] = new(new Dictionary<string, object> { [DeploymentContext.LambdaCollectorLayerKey] = DeploymentContext.NoCollectorLayer }),
        ["retained-restricted-eu-west-1"] = new(new Dictionary<string, object>
        {
            [DeploymentContext.RetainDataKey] = "true",
            [DeploymentContext.IngressAllowedCidrKey] = "203.0.113.0/24",
        }, "eu-west-1"),
        ["cloud-eu-central-1"] = new(CdkFixture.Cloud, "eu-central-1"),
    };

    public static TheoryData<string> VariantNames => [.. Variants.Keys];

    [Theory]
    [MemberData(nameof(VariantNames))]
    public async Task Validate_Variant_HasNoUnacknowledgedFindings(string variant)
    {
        var run = await RunAsync();
        var templates = run.Templates[variant];

        var unacknowledged = run.Acknowledgements.Unacknowledged(run.Findings.Where(f => templates.Contains(f.File)));

        Assert.True(unacknowledged.Count == 0,
            $"{unacknowledged.Count} findings on the {variant} templates are not in {Acknowledgements.DefaultPath} " +
            "(fix them in the CDK app, or acknowledge them there with a reason):\n" +
            string.Join('\n', unacknowledged.Select(f => f.ToString()).Order(StringComparer.Ordinal)));
    }

    [Fact]
    public async Task Validate_AllVariants_ChecksBothStacksOfEach()
    {
        var run = await RunAsync();

        foreach (var (variant, templates) in run.Templates)
        {
            var prefix = variant == "prefixed" ? "demo-" : "";
            Assert.Equal([$"{prefix}HolidayStack.template.json", $"{prefix}RestateStack.template.json"], templates.Select(Path.GetFileName));
        }
    }

    [Fact]
    public async Task Acknowledgements_AllVariants_NoneIsStale()
    {
        var run = await RunAsync();

        var stale = run.Acknowledgements.Stale(run.Findings);

        Assert.True(stale.Count == 0,
            $"{stale.Count} entries of {Acknowledgements.DefaultPath} match no finding on any variant; remove them:\n" +
            string.Join('\n', stale));
    }

    private Task<ValidationRun> RunAsync() =>
        Runs.GetValue(fixture, f => new Lazy<Task<ValidationRun>>(() => ValidationRun.CreateAsync(f))).Value;

    private sealed record ValidationRun(
        IReadOnlyDictionary<string, IReadOnlyList<string>> Templates,
        IReadOnlyList<ValidatorFinding> Findings,
        Acknowledgements Acknowledgements)
    {
        public static async Task<ValidationRun> CreateAsync(CdkFixture fixture)
        {
            var acknowledgements = Acknowledgements.Load();
            var templates = Variants.ToDictionary(
                v => v.Key,
                v => (IReadOnlyList<string>)[.. Directory.GetFiles(fixture.Synth(v.Value.Overrides, v.Value.Region).OutputDirectory, "*.template.json").Order(StringComparer.Ordinal)]);
            var findings = await TemplateValidators.RunAllAsync([.. templates.Values.SelectMany(t => t)]);
            return new ValidationRun(templates, findings, acknowledgements);
        }
    }
}

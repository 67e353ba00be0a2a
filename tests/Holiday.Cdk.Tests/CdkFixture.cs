using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.Assertions;

namespace Holiday.Cdk.Tests;

/// <summary>
/// Synthesizes the app in-process with the context defaults of the repository's cdk.json plus a test's overrides.
/// The asset folders are temporary ones holding a stand-in <c>bootstrap</c>: these tests are about the template.
/// Each context is synthesized once and shared by the tests that read it.
/// </summary>
public sealed class CdkFixture : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<SynthesizedApp>> _apps = new();

    public CdkFixture()
    {
        // The jsii runtime runs on the machine's Node.js; its end-of-life notice is noise in test output.
        System.Environment.SetEnvironmentVariable("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20");
        Root = Directory.CreateTempSubdirectory("holiday-cdk-tests-").FullName;
        LambdaAssets = TestAssets.CreateLambdaFolder(Path.Combine(Root, "lambda"), bootstrapContent: "lambda v1");
        RegistrarAssets = TestAssets.CreateRegistrarFolder(Path.Combine(Root, "registrar"));
    }

    public string Root { get; }

    public string LambdaAssets { get; }

    public string RegistrarAssets { get; }

    public static IReadOnlyDictionary<string, object> SelfHosted { get; } = new Dictionary<string, object>();

    public static IReadOnlyDictionary<string, object> Cloud { get; } = new Dictionary<string, object>
    {
        ["deploymentMode"] = "cloud",
        ["cloudEnvironmentId"] = CloudEnvironmentId,
        ["cloudRegion"] = "eu",
        ["authTokenSecretArn"] = AuthTokenSecretArn,
    };

    public const string CloudEnvironmentId = "env_201kb7y8wxs1nk6t81wyx88dn2q";
    public const string AuthTokenSecretName = "holiday/restate-cloud-api-key";
    public const string AuthTokenSecretArn = $"arn:aws:secretsmanager:eu-central-1:123456789012:secret:{AuthTokenSecretName}-AbC123";
    public const string CertificateArn = "arn:aws:acm:eu-central-1:123456789012:certificate/0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e";

    /// <summary>
    /// The app for <paramref name="overrides"/>, synthesized on first use: for <paramref name="region"/> as the CDK
    /// CLI's CDK_DEFAULT_REGION would give it, or environment-agnostic (null).
    /// </summary>
    public SynthesizedApp Synth(IReadOnlyDictionary<string, object> overrides, string? region = null)
    {
        var key = string.Join(";", overrides.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")) + $"@{region}";
        return _apps.GetOrAdd(key, _ => new Lazy<SynthesizedApp>(() => SynthUncached(overrides, region))).Value;
    }

    /// <summary>A fresh app for <paramref name="overrides"/>, never shared.</summary>
    public SynthesizedApp SynthUncached(IReadOnlyDictionary<string, object> overrides, string? region = null)
    {
        var app = CreateApp(overrides);
        var (restate, holiday) = HolidayApp.Build(app, Settings(region));
        var assembly = app.Synth();
        return new SynthesizedApp(
            assembly.Directory,
            restate,
            holiday,
            Template.FromStack(restate),
            Template.FromStack(holiday),
            ReadTemplate(assembly.GetStackByName(restate.StackName).TemplateFullPath),
            ReadTemplate(assembly.GetStackByName(holiday.StackName).TemplateFullPath));
    }

    /// <summary>
    /// An app whose context is cdk.json's, the temporary asset folders (except <paramref name="withoutAssetFolders"/>,
    /// which synth would publish), then <paramref name="overrides"/>.
    /// </summary>
    public App CreateApp(IReadOnlyDictionary<string, object> overrides, IReadOnlyList<string>? withoutAssetFolders = null)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var context = RepositoryContext();
        context["lambdaAssetPath"] = LambdaAssets;
        context["registrarAssetPath"] = RegistrarAssets;
        foreach (var key in withoutAssetFolders ?? [])
        {
            context.Remove(key);
        }
        foreach (var (key, value) in overrides)
        {
            context[key] = value;
        }
        return new App(new AppProps
        {
            Context = context,
            Outdir = Directory.CreateDirectory(Path.Combine(Root, $"out-{Guid.NewGuid():N}")).FullName,
        });
    }

    /// <summary>The repository, and <paramref name="region"/> as the target region (null: environment-agnostic).</summary>
    public static HolidayAppSettings Settings(string? region = null) => new(TestAssets.RepositoryRoot, region);

    /// <summary>cdk.json's <c>context</c>, as the CLI passes it: the feature flags and defaults the real synth uses.</summary>
    public static Dictionary<string, object> RepositoryContext()
    {
        var cdkJson = JsonNode.Parse(File.ReadAllText(Path.Combine(TestAssets.RepositoryRoot, "cdk.json")))!.AsObject();
        var context = new Dictionary<string, object>();
        foreach (var (key, value) in cdkJson["context"]!.AsObject())
        {
            context[key] = value switch
            {
                JsonArray array => array.Select(item => (object)item!.GetValue<string>()).ToArray(),
                JsonValue v when v.TryGetValue<bool>(out var flag) => flag,
                JsonValue v => v.GetValue<string>(),
                _ => throw new InvalidOperationException($"cdk.json context key {key} has an unexpected shape"),
            };
        }
        return context;
    }

    private static JsonObject ReadTemplate(string path) => JsonNode.Parse(File.ReadAllText(path))!.AsObject();

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}

/// <summary>One synthesized app: both stacks as Amazon.CDK.Assertions templates and as JSON.</summary>
public sealed record SynthesizedApp(
    string OutputDirectory,
    RestateStack RestateStack,
    HolidayStack HolidayStack,
    Template Restate,
    Template Holiday,
    JsonObject RestateJson,
    JsonObject HolidayJson)
{
    /// <summary>Both templates.</summary>
    public IEnumerable<JsonObject> Templates => [RestateJson, HolidayJson];
}

[CollectionDefinition(Name)]
public sealed class CdkSynthGroup : ICollectionFixture<CdkFixture>
{
    /// <summary>The in-process synth tests share one jsii runtime; they run one at a time.</summary>
    public const string Name = "CDK in-process synth";
}

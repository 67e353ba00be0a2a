namespace Holiday.Cdk.Tests;

[Collection(CdkSynthGroup.Name)]
public sealed class HolidayAppTests(CdkFixture fixture)
{
    [Fact]
    public void Build_UnknownMode_StopsBeforeAnyStack()
    {
        var app = fixture.CreateApp(new Dictionary<string, object> { ["deploymentMode"] = "k8s" });

        var error = Assert.Throws<DeploymentContextException>(() => HolidayApp.Build(app, CdkFixture.Settings()));

        Assert.Equal("Unknown context value deploymentMode=\"k8s\"; expected \"self-hosted\" or \"cloud\".", error.Message);
        Assert.Empty(app.Node.Children.OfType<Amazon.CDK.Stack>());
    }

    [Theory]
    [InlineData("cloudEnvironmentId")]
    [InlineData("authTokenSecretArn")]
    public void Build_CloudWithoutARequiredKey_NamesIt(string missing)
    {
        var context = CdkFixture.Cloud.Where(p => p.Key != missing).ToDictionary(p => p.Key, p => p.Value);
        var app = fixture.CreateApp(context);

        var error = Assert.Throws<DeploymentContextException>(() => HolidayApp.Build(app, CdkFixture.Settings()));

        Assert.Equal($"Required context key \"{missing}\" is missing", error.Message.Split(':')[0]);
    }

    [Theory]
    [InlineData("lambdaAssetPath")]
    [InlineData("registrarAssetPath")]
    public void Build_AssetFolderWithoutBootstrap_IsOneSentenceNamingTheKey(string key)
    {
        var empty = Directory.CreateDirectory(Path.Combine(fixture.Root, $"empty-{key}")).FullName;
        var app = fixture.CreateApp(new Dictionary<string, object> { [key] = empty });

        var error = Assert.Throws<DeploymentContextException>(() => HolidayApp.Build(app, CdkFixture.Settings()));

        Assert.StartsWith($"Context key \"{key}\" points at {empty}, which holds no bootstrap executable;", error.Message, StringComparison.Ordinal);
        Assert.Contains("dotnet publish <project> -c Release -r linux-x64", error.Message, StringComparison.Ordinal);
        Assert.Single(error.Message.Split(". ", StringSplitOptions.None));
    }

    [Fact]
    public void Build_WithoutAssetFolderOutsideTheRepository_NamesTheProjectAndTheKey()
    {
        var app = fixture.CreateApp(new Dictionary<string, object>(), withoutAssetFolders: ["lambdaAssetPath"]);
        var elsewhere = Directory.CreateDirectory(Path.Combine(fixture.Root, "not-a-repository")).FullName;

        var error = Assert.Throws<DeploymentContextException>(() => HolidayApp.Build(app, new HolidayAppSettings(elsewhere, Region: null)));

        Assert.Equal($"The project src/Holiday.Lambda/Holiday.Lambda.csproj is not under {elsewhere}; run cdk from the repository root, " +
            "or set -c lambdaAssetPath=<folder holding a published bootstrap>.", error.Message);
    }

    [Fact]
    public void Synth_PublishFails_StopsWithOneSentenceNamingTheProjectAndTheKey()
    {
        // A repository whose Lambda project does not build: synth runs the real `dotnet publish`, which fails fast.
        var root = Directory.CreateDirectory(Path.Combine(fixture.Root, "broken-repository")).FullName;
        var project = Directory.CreateDirectory(Path.Combine(root, "src", "Holiday.Lambda")).FullName;
        File.WriteAllText(Path.Combine(project, "Holiday.Lambda.csproj"), "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup>this is not a project");
        var app = fixture.CreateApp(new Dictionary<string, object>(), withoutAssetFolders: ["lambdaAssetPath"]);

        // CDK bundles while the stack is built (when a function binds its code), before synth.
        var error = Assert.Throws<DeploymentContextException>(() => HolidayApp.Build(app, new HolidayAppSettings(root, Region: null)));

        Assert.StartsWith("Publishing src/Holiday.Lambda/Holiday.Lambda.csproj for the Lambda asset failed (dotnet publish exit code 1: ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("); fix the build, or set -c lambdaAssetPath=<folder holding a published bootstrap>.", error.Message, StringComparison.Ordinal);
        Assert.Contains("error MSB", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }
}

namespace Holiday.Cdk.Tests;

[Collection(CdkSynthGroup.Name)]
public sealed class HolidayAppTests(CdkFixture fixture)
{
    [Fact]
    public void Build_UnknownMode_StopsBeforeAnyStack()
    {
        var app = fixture.CreateApp(new Dictionary<string, object> { ["deploymentMode"] = "k8s" });

        var error = Assert.Throws<DeploymentContextException>(() => HolidayApp.Build(app));

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

        var error = Assert.Throws<DeploymentContextException>(() => HolidayApp.Build(app));

        Assert.Equal($"Required context key \"{missing}\" is missing", error.Message.Split(':')[0]);
    }

    [Theory]
    [InlineData("lambdaAssetPath", "dotnet publish src/Holiday.Lambda")]
    [InlineData("registrarAssetPath", "dotnet publish src/Holiday.Registrar")]
    public void Build_AssetFolderWithoutBootstrap_NamesTheKeyAndThePublishCommand(string key, string publish)
    {
        var empty = Directory.CreateDirectory(Path.Combine(fixture.Root, $"empty-{key}")).FullName;
        var app = fixture.CreateApp(new Dictionary<string, object> { [key] = empty });

        var error = Assert.Throws<DeploymentContextException>(() => HolidayApp.Build(app));

        Assert.StartsWith($"Context key \"{key}\" points at {empty}, which holds no bootstrap", error.Message, StringComparison.Ordinal);
        Assert.Contains(publish, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryFunction_InBothModes_IsANativeAotBootstrapOnProvidedAl2023()
    {
        // No Node.js function sneaks in through a CDK feature (custom-resource providers pin Node.js runtimes that AWS retires).
        foreach (var app in new[] { fixture.Synth(CdkFixture.SelfHosted), fixture.Synth(CdkFixture.Cloud) })
        {
            var functions = app.RestateJson.Resources("AWS::Lambda::Function").Concat(app.HolidayJson.Resources("AWS::Lambda::Function")).ToList();
            Assert.Equal(5, functions.Count);
            Assert.All(functions, f => Assert.Equal("provided.al2023", (string?)f.Value.Properties()["Runtime"]));
        }
    }
}

using System.Runtime.InteropServices;

namespace Holiday.Cdk.Tests;

// A bundler is a jsii object: it is created on the jsii runtime the in-process synth tests share, one at a time.
[Collection(CdkSynthGroup.Name)]
public sealed class AotPublishBundlingTests
{
    [Theory]
    [InlineData("OSX", Architecture.Arm64)]
    [InlineData("WINDOWS", Architecture.X64)]
    [InlineData("LINUX", Architecture.Arm64)]
    public void TryBundle_OnAnythingButLinuxX64_StopsNamingTheContainerAndPrebuiltRoutes(string os, Architecture architecture)
    {
        var bundling = new AotPublishBundling(TestAssets.RepositoryRoot, DeploymentContext.LambdaProject, DeploymentContext.LambdaAssetPathKey,
            (OSPlatform.Create(os), architecture));
        var output = Directory.CreateTempSubdirectory("holiday-bundle-").FullName;
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => bundling.TryBundle(output, null!));

            Assert.Equal(
                $"Native AOT publishes the linux-x64 bootstrap of src/Holiday.Lambda/Holiday.Lambda.csproj only on Linux x64, and this machine is {os} {architecture}; " +
                "set -c bootstrapBuild=container to publish in an Amazon Linux 2023 container (needs Docker), " +
                "or -c lambdaAssetPath=<folder holding a bootstrap published on Linux x64>.", error.Message);
            Assert.Equal(error.Message, bundling.Failure);
            Assert.Empty(Directory.GetFiles(output));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}

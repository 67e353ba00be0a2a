using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Holiday.Cdk.Tests;

/// <summary>
/// The real CDK CLI (npm aws-cdk, pinned in package.json) runs cdk.json's app offline, as a user's <c>cdk synth</c>
/// would: no AWS credentials, no network, no lookups.
/// </summary>
public sealed class CdkCliTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <summary>Two Native AOT publishes on a small shared machine: generous, since only a hang should fail.</summary>
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(20);
    private readonly string _root = Directory.CreateTempSubdirectory("holiday-cdk-cli-").FullName;

    [Fact]
    public async Task Synth_Offline_WritesBothStacksToTheOutputFolder()
    {
        var output = Path.Combine(_root, "cdk.out");

        var result = await RunCdkAsync(Timeout, "synth", "--no-notices", "--output", output,
            "-c", $"lambdaAssetPath={TestAssets.CreateLambdaFolder(Path.Combine(_root, "lambda"), "cli")}",
            "-c", $"registrarAssetPath={TestAssets.CreateRegistrarFolder(Path.Combine(_root, "registrar"))}");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(File.Exists(Path.Combine(output, "RestateStack.template.json")), result.ToString());
        Assert.True(File.Exists(Path.Combine(output, "HolidayStack.template.json")), result.ToString());
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, "manifest.json")))!;
        var stacks = manifest["artifacts"]!.AsObject()
            .Where(a => (string?)a.Value!["type"] == "aws:cloudformation:stack")
            .Select(a => a.Key)
            .Order();
        Assert.Equal(["HolidayStack", "RestateStack"], stacks);
        // The HolidayStack waits for RestateStack: `cdk deploy --all` deploys them in that order.
        var dependencies = manifest["artifacts"]!["HolidayStack"]!["dependencies"]!.AsArray().Select(d => (string?)d);
        Assert.Contains("RestateStack", dependencies);
    }

    [Fact]
    public async Task Synth_WithoutAssetFolders_PublishesBothNativeAotBootstrapsIntoTheAssets()
    {
        // A fresh clone: no asset-path context and nothing published beforehand. cdk synth publishes the two projects
        // itself (CDK local bundling); the output folder is a fresh one, so nothing staged earlier is reused.
        var output = Path.Combine(_root, "cdk.out");

        var result = await RunCdkAsync(PublishTimeout, "synth", "--no-notices", "--output", output);

        Assert.True(result.ExitCode == 0, result.ToString());
        var template = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, "HolidayStack.template.json")))!.AsObject();
        var functions = template.Resources("AWS::Lambda::Function").Values.Select(f => f.Properties())
            .Where(f => (string?)f["Handler"] == "bootstrap").ToList();
        Assert.Equal(5, functions.Count);
        var assets = functions.Select(f => Path.Combine(output, $"asset.{Path.GetFileNameWithoutExtension((string)f["Code"]!["S3Key"]!)}")).Distinct().ToList();
        // One asset for the four Holiday functions, one for the registrar.
        Assert.Equal(2, assets.Count);
        foreach (var asset in assets)
        {
            var bootstrap = Path.Combine(asset, "bootstrap");
            Assert.True(File.Exists(bootstrap), $"{asset} holds {string.Join(", ", Directory.GetFiles(asset).Select(Path.GetFileName))}");
            var magic = new byte[4];
            await using (var file = File.OpenRead(bootstrap))
            {
                await file.ReadExactlyAsync(magic);
            }
            Assert.Equal(new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F' }, magic);
            if (!OperatingSystem.IsWindows())
            {
                Assert.True((File.GetUnixFileMode(bootstrap) & UnixFileMode.UserExecute) != 0, $"{bootstrap} is not executable");
            }
            Assert.DoesNotContain(Directory.GetFiles(asset), f => f.EndsWith(".dbg", StringComparison.Ordinal) || f.EndsWith(".pdb", StringComparison.Ordinal));
        }
        Assert.Contains(assets, asset => File.Exists(Path.Combine(asset, "libsodium.so")));
        Assert.Contains("Publishing src/Holiday.Lambda/Holiday.Lambda.csproj (Native AOT, linux-x64)", result.StandardError, StringComparison.Ordinal);
        AssertStartOnProvidedAl2023(assets);
    }

    /// <summary>Each asset's <c>bootstrap</c> needs no newer glibc than Amazon Linux 2023's, or it would not start on Lambda.</summary>
    private static void AssertStartOnProvidedAl2023(IEnumerable<string> assets)
    {
        foreach (var asset in assets)
        {
            var glibc = GlibcRequirement.Read(Path.Combine(asset, "bootstrap"));
            Assert.NotNull(glibc);
            Assert.True(glibc <= GlibcRequirement.ProvidedAl2023, $"{asset}/bootstrap needs glibc {glibc}; provided.al2023 has {GlibcRequirement.ProvidedAl2023}");
        }
    }

    [SkippableFact]
    public async Task Synth_ContainerBuild_PublishesBootstrapsForProvidedAl2023InTheAmazonLinuxImage()
    {
        Skip.IfNot(await DockerEngineIsReachableAsync(), "The container build needs a Docker engine, and none is reachable on this machine.");
        var output = Path.Combine(_root, "cdk.out");

        var result = await RunCdkAsync(PublishTimeout, "synth", "--no-notices", "--output", output, "-c", "bootstrapBuild=container");

        Assert.True(result.ExitCode == 0, result.ToString());
        var template = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, "HolidayStack.template.json")))!.AsObject();
        var assets = template.Resources("AWS::Lambda::Function").Values.Select(f => f.Properties())
            .Where(f => (string?)f["Handler"] == "bootstrap")
            .Select(f => Path.Combine(output, $"asset.{Path.GetFileNameWithoutExtension((string)f["Code"]!["S3Key"]!)}"))
            .Distinct().ToList();
        Assert.Equal(2, assets.Count);
        AssertStartOnProvidedAl2023(assets);
    }

    [SkippableFact]
    public async Task Synth_ContainerBuildWithoutDocker_StopsWithOneSentenceNamingWhatItNeeds()
    {
        Skip.If(await DockerEngineIsReachableAsync(), "A Docker engine is reachable, so the container build would run.");

        var result = await RunCdkAsync(Timeout, "synth", "--no-notices", "--output", Path.Combine(_root, "cdk.out"), "-c", "bootstrapBuild=container");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("error: Publishing the bootstraps in the Amazon Linux 2023 build container (cdk/build-image) failed (docker exited with status 1;", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("needs a running Docker engine", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Synth_InARegionWithoutTheAdotLayer_WarnsAndLeavesTheFunctionsWithoutIt()
    {
        var output = Path.Combine(_root, "cdk.out");

        // The CLI turns AWS_REGION into CDK_DEFAULT_REGION, without credentials.
        var result = await RunCdkAsync(Timeout, new Dictionary<string, string> { ["AWS_REGION"] = "af-south-1" }, "synth", "--no-notices", "--output", output,
            "-c", $"lambdaAssetPath={TestAssets.CreateLambdaFolder(Path.Combine(_root, "lambda"), "cli")}",
            "-c", $"registrarAssetPath={TestAssets.CreateRegistrarFolder(Path.Combine(_root, "registrar"))}");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("AWS publishes no ADOT collector layer in af-south-1", result.StandardError, StringComparison.Ordinal);
        var template = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, "HolidayStack.template.json")))!.AsObject();
        var functions = template.Resources("AWS::Lambda::Function").Values.Select(f => f.Properties()).ToList();
        Assert.Equal(6, functions.Count);
        Assert.All(functions, f => Assert.Null(f["Layers"]));
        // The registrar's Parameter Store ARN names the region: the stack is bound to it.
        Assert.Contains("af-south-1", template.ToJsonString(), StringComparison.Ordinal);
    }

    private static async Task<bool> DockerEngineIsReachableAsync()
    {
        try
        {
            var start = new ProcessStartInfo("docker", ["info", "--format", "{{.ServerVersion}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(start)!;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token);
            return process.ExitCode == 0;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or OperationCanceledException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Synth_UnknownMode_FailsWithOneSentenceNamingTheKey()
    {
        var result = await RunCdkAsync(Timeout, "synth", "--no-notices", "--output", Path.Combine(_root, "cdk.out"), "-c", "deploymentMode=k8s");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("error: Unknown context value deploymentMode=\"k8s\"; expected \"self-hosted\" or \"cloud\".", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
    }

    private static Task<CliResult> RunCdkAsync(TimeSpan timeLimit, params string[] arguments) =>
        RunCdkAsync(timeLimit, new Dictionary<string, string>(), arguments);

    private static async Task<CliResult> RunCdkAsync(TimeSpan timeLimit, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var cdk = Path.Combine(TestAssets.RepositoryRoot, "node_modules", ".bin", "cdk");
        Assert.True(File.Exists(cdk), $"{cdk} is missing: run npm ci at the repository root.");

        var start = new ProcessStartInfo(cdk)
        {
            WorkingDirectory = TestAssets.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"] = "20";
        start.Environment["CDK_DISABLE_CLI_TELEMETRY"] = "true";
        // Nor probe an instance metadata service that is not there.
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        // No credentials and no region: the synth must not need them.
        foreach (var variable in new[] { "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION" })
        {
            start.Environment.Remove(variable);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(timeLimit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"cdk {string.Join(' ', arguments)} did not finish within {timeLimit}: {await stderr}");
        }
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    private sealed record CliResult(int ExitCode, string StandardOutput, string StandardError)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StandardOutput}\n--- stderr\n{StandardError}";
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}

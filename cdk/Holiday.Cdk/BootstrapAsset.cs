using System.Security.Cryptography;
using System.Text;
using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using AssetOptions = Amazon.CDK.AWS.S3.Assets.AssetOptions;

namespace Holiday.Cdk;

/// <summary>
/// A Native AOT <c>bootstrap</c> (provided.al2023) as Lambda code: published during synth by CDK asset bundling (on
/// this machine, or in an Amazon Linux 2023 container), or taken from a folder published beforehand.
/// </summary>
public sealed class BootstrapAsset
{
    /// <summary>Debug symbols, XML docs and the publish lock stay out of the zip; <c>libsodium.so</c> and the rest go in.</summary>
    public static IReadOnlyList<string> Excludes { get; } = ["*.dbg", "*.pdb", "*.xml", ".publish.lock"];

    /// <summary>
    /// Build settings outside <c>src/</c> that change what a publish produces; their content joins the asset's
    /// source hash.
    /// </summary>
    public static IReadOnlyList<string> RootBuildFiles { get; } = ["Directory.Build.props", "Directory.Packages.props", "global.json"];

    /// <summary>The Dockerfile of the container build, relative to the repository root.</summary>
    public const string BuildImageFolder = "cdk/build-image";

    /// <summary>The container build's platform: the functions are x86_64, and Native AOT does not cross-compile.</summary>
    public const string BuildPlatform = "linux/amd64";

    private readonly AotPublishBundling? _bundling;

    private BootstrapAsset(AssetCode code, AotPublishBundling? bundling)
    {
        Code = code;
        _bundling = bundling;
    }

    public AssetCode Code { get; }

    /// <summary>Why publishing on this machine failed during synth, as one sentence; null when it did not run or succeeded.</summary>
    public string? PublishFailure => _bundling?.Failure;

    /// <summary>A folder that already holds the published executable.</summary>
    /// <param name="contextKey">The context key that named the folder, for the error message.</param>
    /// <param name="folder">Absolute, or relative to the working directory (the repository root under <c>cdk</c>).</param>
    /// <exception cref="DeploymentContextException">The folder has no <c>bootstrap</c>.</exception>
    public static BootstrapAsset FromFolder(string contextKey, string folder)
    {
        var fullPath = Path.GetFullPath(folder);
        if (!File.Exists(Path.Combine(fullPath, "bootstrap")))
        {
            throw new DeploymentContextException(
                $"Context key \"{contextKey}\" points at {fullPath}, which holds no bootstrap executable; publish into it " +
                $"(dotnet publish <project> -c Release -r linux-x64 -o {folder}) or leave the key out to let synth publish.");
        }
        return new BootstrapAsset(Amazon.CDK.AWS.Lambda.Code.FromAsset(fullPath, new AssetOptions { Exclude = [.. Excludes] }), bundling: null);
    }

    /// <summary>
    /// The project, published during synth: by <see cref="AotPublishBundling"/> on this machine, or by
    /// <c>dotnet publish</c> in the <see cref="BuildImageFolder"/> container. The asset's hash covers <c>src/</c>
    /// (without <c>bin</c> and <c>obj</c>), <see cref="RootBuildFiles"/> and the build route, so CDK publishes again
    /// only after a change and reuses the staged asset (in the same output folder) otherwise.
    /// </summary>
    /// <param name="repositoryRoot">The folder holding <c>src/</c> (the working directory of <c>cdk</c> commands).</param>
    /// <param name="project">The project file, relative to <paramref name="repositoryRoot"/>.</param>
    /// <param name="contextKey">The context key that would name a pre-published folder instead.</param>
    /// <param name="build">Where to publish.</param>
    /// <exception cref="DeploymentContextException">The project is not there (synth not run from the repository root).</exception>
    public static BootstrapAsset FromProject(string repositoryRoot, string project, string contextKey, BootstrapBuild build)
    {
        var root = Path.GetFullPath(repositoryRoot);
        if (!File.Exists(Path.Combine(root, project)))
        {
            throw new DeploymentContextException(
                $"The project {project} is not under {root}; run cdk from the repository root, or set -c {contextKey}=<folder holding a published bootstrap>.");
        }
        var bundling = build == BootstrapBuild.Local ? new AotPublishBundling(root, project, contextKey) : null;
        var code = Amazon.CDK.AWS.Lambda.Code.FromAsset(root, new AssetOptions
        {
            // CDK bundles only when no asset is staged under this hash yet: an unchanged source is not published again.
            AssetHash = SourceHash(root, project, build),
            AssetHashType = AssetHashType.CUSTOM,
            Bundling = bundling is not null
                ? new BundlingOptions
                {
                    // Required by the API, never used: the local bundler publishes or fails, it never falls back to Docker.
                    Image = DockerImage.FromRegistry("mcr.microsoft.com/dotnet/sdk:10.0"),
                    Local = bundling,
                    OutputType = BundlingOutput.NOT_ARCHIVED,
                }
                : ContainerBundling(root, project),
        });
        return new BootstrapAsset(code, bundling);
    }

    /// <summary>
    /// <c>dotnet publish</c> inside the Amazon Linux 2023 build image, so the executable links against the glibc
    /// provided.al2023 has, whatever machine (macOS, Windows, arm64) runs synth. CDK mounts the repository at
    /// <c>/asset-input</c>; all build output goes to the container's <c>/tmp</c>, never into the mounted sources.
    /// </summary>
    private static BundlingOptions ContainerBundling(string root, string project)
    {
        var skip = string.Join(" ", Excludes.Select(pattern => $"! -name '{pattern}'"));
        var script = $"dotnet publish /asset-input/{project} -c Release -r linux-x64 -o /tmp/publish --artifacts-path /tmp/build -nologo " +
            $"&& find /tmp/publish -maxdepth 1 -type f {skip} -exec cp {{}} /asset-output/ \\;";
        return new BundlingOptions
        {
            Image = DockerImage.FromBuild(Path.Combine(root, BuildImageFolder), new DockerBuildOptions { Platform = BuildPlatform }),
            Platform = BuildPlatform,
            Command = ["bash", "-c", script],
            // CDK runs the container as the calling user, who has no home in the image.
            Environment = new Dictionary<string, string>
            {
                ["HOME"] = "/tmp",
                ["DOTNET_CLI_HOME"] = "/tmp",
                ["NUGET_PACKAGES"] = "/tmp/nuget",
                ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
                ["DOTNET_NOLOGO"] = "1",
            },
            OutputType = BundlingOutput.NOT_ARCHIVED,
        };
    }

    /// <summary>
    /// SHA-256 over the build route, the project's name and every file under <c>src/</c> (paths and contents,
    /// <c>bin</c> and <c>obj</c> left out) plus <see cref="RootBuildFiles"/> (and the build image for a container
    /// build): what a publish of any project there depends on.
    /// </summary>
    internal static string SourceHash(string repositoryRoot, string project, BootstrapBuild build)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text + "\0"));
        Add(build.ToString());
        Add(project);
        var buildFiles = build == BootstrapBuild.Container ? RootBuildFiles.Append($"{BuildImageFolder}/Dockerfile") : RootBuildFiles;
        var src = Path.Combine(repositoryRoot, "src");
        var files = Directory.EnumerateFiles(src, "*", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(repositoryRoot, file).Replace('\\', '/'))
            .Where(relative => !relative.Split('/').Any(part => part is "bin" or "obj" or ".vs"))
            .Concat(buildFiles.Where(name => File.Exists(Path.Combine(repositoryRoot, name))))
            .Order(StringComparer.Ordinal);
        foreach (var relative in files)
        {
            Add(relative);
            hash.AppendData(File.ReadAllBytes(Path.Combine(repositoryRoot, relative)));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}

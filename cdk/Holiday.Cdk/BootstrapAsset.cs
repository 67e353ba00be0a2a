using System.Security.Cryptography;
using System.Text;
using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using AssetOptions = Amazon.CDK.AWS.S3.Assets.AssetOptions;

namespace Holiday.Cdk;

/// <summary>
/// A Native AOT <c>bootstrap</c> (provided.al2023) as Lambda code: either published during synth by CDK asset
/// bundling (the default), or taken from a folder published beforehand (a context key names it).
/// </summary>
public static class BootstrapAsset
{
    /// <summary>Debug symbols, XML docs and the publish lock stay out of the zip; <c>libsodium.so</c> and the rest go in.</summary>
    public static IReadOnlyList<string> Excludes { get; } = ["*.dbg", "*.pdb", "*.xml", ".publish.lock"];

    /// <summary>
    /// Build settings outside <c>src/</c> that change what a publish produces; their content joins the asset's
    /// source hash.
    /// </summary>
    public static IReadOnlyList<string> RootBuildFiles { get; } = ["Directory.Build.props", "Directory.Packages.props", "global.json"];

    /// <summary>A folder that already holds the published executable.</summary>
    /// <param name="contextKey">The context key that named the folder, for the error message.</param>
    /// <param name="folder">Absolute, or relative to the working directory (the repository root under <c>cdk</c>).</param>
    /// <exception cref="DeploymentContextException">The folder has no <c>bootstrap</c>.</exception>
    public static AssetCode FromFolder(string contextKey, string folder)
    {
        var fullPath = Path.GetFullPath(folder);
        if (!File.Exists(Path.Combine(fullPath, "bootstrap")))
        {
            throw new DeploymentContextException(
                $"Context key \"{contextKey}\" points at {fullPath}, which holds no bootstrap executable; publish into it " +
                $"(dotnet publish <project> -c Release -r linux-x64 -o {folder}) or leave the key out to let synth publish.");
        }
        return Code.FromAsset(fullPath, new AssetOptions { Exclude = [.. Excludes] });
    }

    /// <summary>
    /// The project published by <see cref="AotPublishBundling"/> during synth. The asset's hash covers <c>src/</c>
    /// (without <c>bin</c> and <c>obj</c>) and <see cref="RootBuildFiles"/>, so CDK publishes again only after a
    /// change and reuses the staged asset (in the same output folder) otherwise.
    /// </summary>
    /// <param name="repositoryRoot">The folder holding <c>src/</c> (the working directory of <c>cdk</c> commands).</param>
    /// <param name="project">The project file, relative to <paramref name="repositoryRoot"/>.</param>
    /// <param name="contextKey">The context key that would name a pre-published folder instead.</param>
    /// <param name="bundling">The bundler, so a failure can be reported after synth.</param>
    /// <exception cref="DeploymentContextException">The project is not there (synth not run from the repository root).</exception>
    public static AssetCode FromProject(string repositoryRoot, string project, string contextKey, out AotPublishBundling bundling)
    {
        var root = Path.GetFullPath(repositoryRoot);
        var projectPath = Path.Combine(root, project);
        if (!File.Exists(projectPath))
        {
            throw new DeploymentContextException(
                $"The project {project} is not under {root}; run cdk from the repository root, or set -c {contextKey}=<folder holding a published bootstrap>.");
        }
        bundling = new AotPublishBundling(root, project, contextKey);
        return Code.FromAsset(Path.Combine(root, "src"), new AssetOptions
        {
            // CDK bundles only when no asset is staged under this hash yet: an unchanged source is not published again.
            AssetHash = SourceHash(root, project),
            AssetHashType = AssetHashType.CUSTOM,
            Bundling = new BundlingOptions
            {
                // Required by the API, never used: the local bundler publishes or fails, it never falls back to Docker.
                Image = DockerImage.FromRegistry("mcr.microsoft.com/dotnet/sdk:10.0"),
                Local = bundling,
                OutputType = BundlingOutput.NOT_ARCHIVED,
            },
        });
    }

    /// <summary>
    /// SHA-256 over the project's name and every file under <c>src/</c> (paths and contents, <c>bin</c> and
    /// <c>obj</c> left out) plus <see cref="RootBuildFiles"/>: what a publish of any project there depends on.
    /// </summary>
    internal static string SourceHash(string repositoryRoot, string project)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text + "\0"));
        Add(project);
        var src = Path.Combine(repositoryRoot, "src");
        var files = Directory.EnumerateFiles(src, "*", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(repositoryRoot, file).Replace('\\', '/'))
            .Where(relative => !relative.Split('/').Any(part => part is "bin" or "obj" or ".vs"))
            .Concat(RootBuildFiles.Where(name => File.Exists(Path.Combine(repositoryRoot, name))))
            .Order(StringComparer.Ordinal);
        foreach (var relative in files)
        {
            Add(relative);
            hash.AppendData(File.ReadAllBytes(Path.Combine(repositoryRoot, relative)));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}

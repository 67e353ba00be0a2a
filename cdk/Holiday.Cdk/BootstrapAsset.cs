using Amazon.CDK.AWS.Lambda;

namespace Holiday.Cdk;

/// <summary>A folder holding a Native AOT <c>bootstrap</c> (provided.al2023), packaged as Lambda code.</summary>
public static class BootstrapAsset
{
    /// <summary>Debug symbols, XML docs and the publish lock stay out of the zip; <c>libsodium.so</c> and the rest go in.</summary>
    public static IReadOnlyList<string> Excludes { get; } = ["*.dbg", "*.pdb", "*.xml", ".publish.lock"];

    /// <summary>The folder as Lambda code.</summary>
    /// <param name="contextKey">The context key that named the folder, for the error message.</param>
    /// <param name="folder">Absolute, or relative to the working directory (the repository root under <c>cdk</c>).</param>
    /// <param name="publishCommand">How to produce the folder, for the error message.</param>
    /// <exception cref="DeploymentContextException">The folder has no <c>bootstrap</c>.</exception>
    public static AssetCode FromFolder(string contextKey, string folder, string publishCommand)
    {
        var fullPath = Path.GetFullPath(folder);
        if (!File.Exists(Path.Combine(fullPath, "bootstrap")))
        {
            throw new DeploymentContextException(
                $"Context key \"{contextKey}\" points at {fullPath}, which holds no bootstrap executable; publish it first ({publishCommand}) or set -c {contextKey}=<folder>.");
        }
        return Code.FromAsset(fullPath, new Amazon.CDK.AWS.S3.Assets.AssetOptions { Exclude = [.. Excludes] });
    }
}

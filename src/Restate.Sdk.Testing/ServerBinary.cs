using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Restate.Sdk.Testing;

/// <summary>Finds the native restate-server binary, installing it with <c>npm ci</c> when needed.</summary>
internal static class ServerBinary
{
    private const string BinaryEnvironmentVariable = "RESTATE_SERVER_BINARY";
    private const string ServerPackage = "@restatedev/restate-server";

    public static async Task<string> ResolveAsync(RestateServerOptions options, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(options.BinaryPath))
        {
            return RequireExisting(options.BinaryPath, nameof(RestateServerOptions.BinaryPath));
        }

        var fromEnvironment = System.Environment.GetEnvironmentVariable(BinaryEnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return RequireExisting(fromEnvironment, BinaryEnvironmentVariable);
        }

        var root = options.RepositoryRoot ?? NpmTools.FindRepositoryRoot(ServerPackage)
            ?? throw new InvalidOperationException(
                $"Could not find a package.json mentioning {ServerPackage} above '{AppContext.BaseDirectory}' or " +
                $"'{Directory.GetCurrentDirectory()}'. Set RestateServerOptions.RepositoryRoot, " +
                $"RestateServerOptions.BinaryPath or the {BinaryEnvironmentVariable} environment variable.");
        root = Path.GetFullPath(root);

        var binary = Path.Combine(root, "node_modules", "@restatedev", PlatformPackage(), "bin", "restate-server");
        try
        {
            await NpmTools.EnsureInstalledAsync(root, () => File.Exists(binary), ct).ConfigureAwait(false);
        }
        catch (InvalidOperationException e) when (e.InnerException is Win32Exception npmMissing)
        {
            throw new InvalidOperationException(
                $"Node.js/npm is required to install restate-server: could not run `npm ci` in '{root}' " +
                $"({npmMissing.Message}). Install Node.js, or point {BinaryEnvironmentVariable} at a restate-server binary.",
                npmMissing);
        }

        return File.Exists(binary)
            ? binary
            : throw new InvalidOperationException(
                $"`npm ci` in '{root}' succeeded but '{binary}' is still missing. Is {ServerPackage} in package.json " +
                "and is this platform supported?");
    }

    private static string RequireExisting(string path, string source)
    {
        var full = Path.GetFullPath(path);
        return File.Exists(full)
            ? full
            : throw new FileNotFoundException($"restate-server binary given by {source} does not exist: {full}", full);
    }

    private static string PlatformPackage()
    {
        var os = OperatingSystem.IsLinux() ? "linux"
            : OperatingSystem.IsMacOS() ? "darwin"
            : throw new PlatformNotSupportedException("restate-server is published for Linux and macOS only.");
        var arch = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "x64",
            Architecture.Arm64 => "arm64",
            var other => throw new PlatformNotSupportedException($"restate-server is not published for {other}."),
        };
        return $"restate-server-{os}-{arch}";
    }
}

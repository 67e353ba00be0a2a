using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Restate.Sdk.Testing;

/// <summary>Finds the native restate-server binary, installing it with <c>npm ci</c> when needed.</summary>
internal static class ServerBinary
{
    private const string BinaryEnvironmentVariable = "RESTATE_SERVER_BINARY";
    private const string ServerPackage = "@restatedev/restate-server";
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(10);
    private static readonly SemaphoreSlim InProcessInstallGate = new(1, 1);

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

        var root = options.RepositoryRoot ?? FindRepositoryRoot()
            ?? throw new InvalidOperationException(
                $"Could not find a package.json mentioning {ServerPackage} above '{AppContext.BaseDirectory}' or " +
                $"'{Directory.GetCurrentDirectory()}'. Set RestateServerOptions.RepositoryRoot, " +
                $"RestateServerOptions.BinaryPath or the {BinaryEnvironmentVariable} environment variable.");
        root = Path.GetFullPath(root);

        var binary = Path.Combine(root, "node_modules", "@restatedev", PlatformPackage(), "bin", "restate-server");
        if (File.Exists(binary))
        {
            return binary;
        }

        await InstallAsync(root, binary, ct).ConfigureAwait(false);
        return binary;
    }

    private static string RequireExisting(string path, string source)
    {
        var full = Path.GetFullPath(path);
        return File.Exists(full)
            ? full
            : throw new FileNotFoundException($"restate-server binary given by {source} does not exist: {full}", full);
    }

    private static string? FindRepositoryRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var packageJson = Path.Combine(dir.FullName, "package.json");
                if (File.Exists(packageJson) && File.ReadAllText(packageJson).Contains(ServerPackage, StringComparison.Ordinal))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
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

    private static async Task InstallAsync(string root, string binary, CancellationToken ct)
    {
        // One install per process, and a file lock across processes (parallel test assemblies). The lock lives in the
        // temp folder, not in node_modules, because `npm ci` deletes node_modules while it runs.
        await InProcessInstallGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            using var fileLock = await AcquireFileLockAsync(LockPath(root), ct).ConfigureAwait(false);
            if (File.Exists(binary))
            {
                return;
            }

            await RunNpmCiAsync(root, ct).ConfigureAwait(false);
            if (!File.Exists(binary))
            {
                throw new InvalidOperationException(
                    $"`npm ci` in '{root}' succeeded but '{binary}' is still missing. Is {ServerPackage} in package.json " +
                    "and is this platform supported?");
            }
        }
        finally
        {
            InProcessInstallGate.Release();
        }
    }

    private static string LockPath(string root)
    {
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(root)))[..16];
        return Path.Combine(Path.GetTempPath(), $"restate-testing-npm-{hash}.lock");
    }

    private static async Task<FileStream> AcquireFileLockAsync(string path, CancellationToken ct)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited.Elapsed < LockTimeout)
            {
                // Another process is installing; poll until it releases the lock.
                await Task.Delay(TimeSpan.FromMilliseconds(200), ct).ConfigureAwait(false);
            }
        }
    }

    private static async Task RunNpmCiAsync(string root, CancellationToken ct)
    {
        var startInfo = new ProcessStartInfo("npm")
        {
            WorkingDirectory = root,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        startInfo.ArgumentList.Add("ci");
        startInfo.ArgumentList.Add("--no-audit");
        startInfo.ArgumentList.Add("--no-fund");

        var output = new StringBuilder();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"Node.js/npm is required to install restate-server: could not run `npm ci` in '{root}' ({e.Message}). " +
                $"Install Node.js, or point {BinaryEnvironmentVariable} at a restate-server binary.", e);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(InstallTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            ct.ThrowIfCancellationRequested();
            throw new TimeoutException($"`npm ci` in '{root}' did not finish within {InstallTimeout}.\n{Snapshot(output)}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"`npm ci` in '{root}' failed with exit code {process.ExitCode}:\n{Snapshot(output)}");
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}

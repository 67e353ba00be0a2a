using System.Diagnostics;
using Restate.Sdk.Testing;

namespace Holiday.Local;

/// <summary>
/// Publishes <c>src/Holiday.Lambda</c> as the Native AOT <c>bootstrap</c> (what the Lambda zip holds) into
/// <c>artifacts/lambda/</c>. Publishing is incremental and guarded by a file lock, so parallel test runs share it.
/// </summary>
public static class LambdaBootstrap
{
    private static readonly SemaphoreSlim InProcess = new(1, 1);

    /// <summary>Publishes if needed and returns the path of the <c>bootstrap</c> executable.</summary>
    /// <exception cref="InvalidOperationException">The publish failed; the message holds the compiler output.</exception>
    public static async Task<string> EnsurePublishedAsync(Action<string>? log, CancellationToken cancellation)
    {
        var root = NpmTools.FindRepositoryRoot("@restatedev/restate-server")
            ?? throw new InvalidOperationException("Cannot find the repository root (the folder with package.json) to publish the Lambda bootstrap.");
        var output = Path.Combine(root, "artifacts", "lambda");
        Directory.CreateDirectory(output);
        await InProcess.WaitAsync(cancellation);
        try
        {
            await using var crossProcess = await LockAsync(Path.Combine(output, ".publish.lock"), cancellation);
            log?.Invoke("Publishing the Native AOT Lambda bootstrap (src/Holiday.Lambda → artifacts/lambda/bootstrap)…");
            var start = new ProcessStartInfo("dotnet")
            {
                ArgumentList = { "publish", Path.Combine(root, "src", "Holiday.Lambda"), "-c", "Release", "-r", "linux-x64", "-o", output, "-nologo", "-v", "quiet" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet publish.");
            var stdout = process.StandardOutput.ReadToEndAsync(cancellation);
            var stderr = process.StandardError.ReadToEndAsync(cancellation);
            await process.WaitForExitAsync(cancellation);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"Publishing the Lambda bootstrap failed (exit {process.ExitCode}):\n{await stdout}\n{await stderr}");
            }
            return Path.Combine(output, "bootstrap");
        }
        finally
        {
            InProcess.Release();
        }
    }

    private static async Task<FileStream> LockAsync(string path, CancellationToken cancellation)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(200, cancellation);
            }
        }
    }
}

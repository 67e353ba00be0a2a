using System.Diagnostics;
using Holiday.Local;
using Restate.Sdk.Testing.Lambda;

namespace Holiday.Lambda.Benchmarks;

/// <summary>
/// Produces both variants of <c>src/Holiday.Lambda</c> and copies them to a private folder, so that a concurrent
/// publish or build (tests, other work) cannot replace a binary while it is being measured.
/// </summary>
internal static class Builds
{
    // `dotnet publish -r linux-x64` builds into bin/Release/net10.0/linux-x64/: not part of the JIT build output.
    private const string PublishRid = "linux-x64";

    /// <summary>The AOT and the JIT variant, copied under <paramref name="workFolder"/>.</summary>
    public static async Task<(Variant Aot, Variant Jit)> PrepareAsync(string root, string workFolder, Action<string> log,
        CancellationToken ct)
    {
        // 1. Native AOT: dotnet publish src/Holiday.Lambda -c Release -r linux-x64 -o artifacts/lambda (incremental, locked).
        var published = await LambdaBootstrap.EnsurePublishedAsync(log, ct);
        var publishFolder = Path.GetDirectoryName(published)!;
        var aotFolder = Directory.CreateDirectory(Path.Combine(workFolder, "aot")).FullName;
        var jitFolder = Directory.CreateDirectory(Path.Combine(workFolder, "jit")).FullName;

        // Same lock as LambdaBootstrap: nobody publishes Holiday.Lambda while we build it and copy both outputs.
        await using (await LockAsync(Path.Combine(publishFolder, ".publish.lock"), ct))
        {
            // 2. JIT: the framework-dependent build of the same project.
            log("Building the framework-dependent variant (dotnet build src/Holiday.Lambda -c Release)…");
            await RunAsync("dotnet", ["build", Path.Combine(root, "src", "Holiday.Lambda"), "-c", "Release", "-nologo", "-v", "quiet"], ct);
            var buildFolder = Path.Combine(root, "src", "Holiday.Lambda", "bin", "Release", "net10.0");
            CopyFolder(buildFolder, jitFolder, topLevelSkip: PublishRid);

            // What a Lambda zip would hold: the executable and the native libraries next to it (no .dbg, .pdb, .xml).
            foreach (var file in Directory.EnumerateFiles(publishFolder))
            {
                var name = Path.GetFileName(file);
                if (name == "bootstrap" || name.EndsWith(".so", StringComparison.Ordinal))
                {
                    File.Copy(file, Path.Combine(aotFolder, name), overwrite: true);
                }
            }
        }

        var bootstrap = Path.Combine(aotFolder, "bootstrap");
        var assembly = Path.Combine(jitFolder, "bootstrap.dll");
        if (!File.Exists(bootstrap) || !File.Exists(assembly))
        {
            throw new InvalidOperationException($"Missing {bootstrap} or {assembly} after the builds.");
        }

        var dotnet = LambdaFunctionDefinition.DotnetAssembly(assembly);
        return (
            new Variant("aot", "Native AOT", aotFolder, bootstrap,
                () => new ProcessStartInfo(bootstrap) { WorkingDirectory = aotFolder }),
            new Variant("jit", "JIT", jitFolder, assembly, dotnet));
    }

    private static void CopyFolder(string source, string target, string? topLevelSkip)
    {
        foreach (var directory in Directory.EnumerateDirectories(source))
        {
            var name = Path.GetFileName(directory);
            if (name != topLevelSkip)
            {
                CopyFolder(directory, Directory.CreateDirectory(Path.Combine(target, name)).FullName, topLevelSkip: null);
            }
        }

        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
        }
    }

    private static async Task RunAsync(string fileName, IEnumerable<string> arguments, CancellationToken ct)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', start.ArgumentList)} failed (exit {process.ExitCode}):\n{await stdout}\n{await stderr}");
        }
    }

    private static async Task<FileStream> LockAsync(string path, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(200, ct);
            }
        }
    }
}

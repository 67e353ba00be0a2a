using System.Diagnostics;
using System.Runtime.InteropServices;
using Amazon.CDK;
using Amazon.JSII.Runtime.Deputy;

namespace Holiday.Cdk;

/// <summary>
/// CDK local bundling that runs <c>dotnet publish &lt;project&gt; -c Release -r linux-x64</c> (Native AOT) on this
/// machine and leaves the <c>bootstrap</c> and what ships with it in the asset folder. CDK calls it during synth,
/// only when the asset is not already staged under the same source hash, so an unchanged source is not published
/// again. It never declines: Docker bundling, CDK's fallback, is never reached. Native AOT compiles only for the
/// machine it runs on, and the executable links against this machine's glibc: on anything but Linux x64, or when the
/// result needs a newer glibc than provided.al2023 has, it stops synth with a sentence naming the other routes.
/// </summary>
public sealed class AotPublishBundling : DeputyBase, ILocalBundling
{
    private readonly string _project;
    private readonly string _contextKey;
    private readonly (OSPlatform Os, Architecture Architecture) _host;

    /// <param name="repositoryRoot">The absolute path of the folder holding <c>src/</c>.</param>
    /// <param name="project">The project file to publish, relative to <paramref name="repositoryRoot"/> (as messages show it).</param>
    /// <param name="contextKey">The context key that would name a pre-published folder instead, for the error message.</param>
    public AotPublishBundling(string repositoryRoot, string project, string contextKey)
        : this(repositoryRoot, project, contextKey, (HostOs(), RuntimeInformation.OSArchitecture))
    {
    }

    private static OSPlatform HostOs() =>
        OperatingSystem.IsLinux() ? OSPlatform.Linux
        : OperatingSystem.IsMacOS() ? OSPlatform.OSX
        : OperatingSystem.IsWindows() ? OSPlatform.Windows
        : OSPlatform.Create(RuntimeInformation.OSDescription);

    /// <summary>A bundler that believes it runs on <paramref name="host"/> (tests of the other platforms' message).</summary>
    internal AotPublishBundling(string repositoryRoot, string project, string contextKey, (OSPlatform Os, Architecture Architecture) host)
    {
        _project = project;
        _contextKey = contextKey;
        _host = host;
        ProjectPath = Path.Combine(repositoryRoot, project);
    }

    /// <summary>The project file this bundler publishes.</summary>
    public string ProjectPath { get; }

    /// <summary>Why the last publish failed, as one sentence; null when it did not run or succeeded.</summary>
    public string? Failure { get; private set; }

    /// <summary>Publishes into a scratch folder, then copies everything but <see cref="BootstrapAsset.Excludes"/> to <paramref name="outputDir"/>.</summary>
    /// <returns>Always true: the asset was bundled here.</returns>
    /// <exception cref="InvalidOperationException">The publish failed or left no <c>bootstrap</c>; <see cref="Failure"/> says why.</exception>
    public bool TryBundle(string outputDir, IBundlingOptions options)
    {
        ArgumentNullException.ThrowIfNull(outputDir);
        if (_host.Os != OSPlatform.Linux || _host.Architecture != Architecture.X64)
        {
            throw Fail($"Native AOT publishes the linux-x64 bootstrap of {_project} only on Linux x64, and this machine is {_host.Os} {_host.Architecture}; " +
                $"set -c {DeploymentContext.BootstrapBuildKey}={DeploymentContext.ContainerBuildName} to publish in an Amazon Linux 2023 container (needs Docker), " +
                $"or -c {_contextKey}=<folder holding a bootstrap published on Linux x64>.");
        }
        var scratch = Directory.CreateTempSubdirectory("holiday-aot-publish-").FullName;
        var published = Path.Combine(scratch, "out");
        try
        {
            Console.Error.WriteLine($"Publishing {_project} (Native AOT, linux-x64) for the Lambda asset; this takes a few minutes...");
            var (exitCode, output) = RunPublish(published, Path.Combine(scratch, "build"));
            if (exitCode != 0)
            {
                var firstError = output.FirstOrDefault(line => line.Contains(": error ", StringComparison.Ordinal) || line.Contains("error MSB", StringComparison.Ordinal))
                    ?? output.LastOrDefault(line => line.Trim().Length > 0) ?? "no output";
                throw Fail($"Publishing {_project} for the Lambda asset failed (dotnet publish exit code {exitCode}: {firstError.Trim()}); " +
                    $"fix the build, or set -c {_contextKey}=<folder holding a published bootstrap>.");
            }
            var bootstrap = Path.Combine(published, "bootstrap");
            if (!File.Exists(bootstrap))
            {
                throw Fail($"Publishing {_project} for the Lambda asset produced no bootstrap executable in {published}; the project must publish an executable named bootstrap.");
            }
            if (GlibcRequirement.Read(bootstrap) is { } glibc && glibc > GlibcRequirement.ProvidedAl2023)
            {
                throw Fail($"The bootstrap of {_project} published on this machine needs glibc {glibc}, and Lambda's provided.al2023 has {GlibcRequirement.ProvidedAl2023}, so it would not start; " +
                    $"set -c {DeploymentContext.BootstrapBuildKey}={DeploymentContext.ContainerBuildName} to publish in an Amazon Linux 2023 container (needs Docker), " +
                    $"or -c {_contextKey}=<folder holding a bootstrap published on a machine with glibc {GlibcRequirement.ProvidedAl2023} or older>.");
            }
            foreach (var file in Directory.GetFiles(published))
            {
                var name = Path.GetFileName(file);
                if (!BootstrapAsset.Excludes.Any(pattern => Matches(name, pattern)))
                {
                    File.Copy(file, Path.Combine(outputDir, name), overwrite: true);
                }
            }
            Failure = null;
            return true;
        }
        finally
        {
            try
            {
                Directory.Delete(scratch, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }
    }

    private InvalidOperationException Fail(string sentence)
    {
        Failure = sentence;
        return new InvalidOperationException(sentence);
    }

    /// <summary>
    /// Runs <c>dotnet publish</c>, without build servers or reusable MSBuild nodes that would outlive the synth. All
    /// intermediate output goes to <paramref name="buildDir"/> (<c>--artifacts-path</c>), not the projects' obj/
    /// folders: another publish of the same project running at the same time (a test, <c>./dev run --lambda</c>)
    /// would otherwise race on the same native objects and could hand over a truncated <c>bootstrap</c>.
    /// </summary>
    private (int ExitCode, IReadOnlyList<string> Output) RunPublish(string outputDir, string buildDir)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(ProjectPath)!,
        };
        foreach (var argument in new[]
        {
            "publish", ProjectPath, "-c", "Release", "-r", "linux-x64", "-o", outputDir, "--artifacts-path", buildDir,
            "-nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false", "-p:UseRazorBuildServer=false",
        })
        {
            start.ArgumentList.Add(argument);
        }
        // Started from `dotnet run` (or a test host), the parent's MSBuild settings must not leak into this build.
        foreach (var variable in new[] { "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildExtensionsPath", "MSBuildLoadMicrosoftTargetsReadOnly", "DOTNET_HOST_PATH" })
        {
            start.Environment.Remove(variable);
        }

        var output = new List<string>();
        using var process = new Process { StartInfo = start };
        void Collect(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }
            lock (output)
            {
                output.Add(e.Data);
            }
            Console.Error.WriteLine(e.Data);
        }
        process.OutputDataReceived += Collect;
        process.ErrorDataReceived += Collect;
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw Fail($"Could not run dotnet to publish {ProjectPath} ({e.Message}); install the .NET SDK, or set -c {_contextKey}=<folder holding a published bootstrap>.");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.WaitForExit();
        lock (output)
        {
            return (process.ExitCode, [.. output]);
        }
    }

    /// <summary>The few glob shapes <see cref="BootstrapAsset.Excludes"/> uses: <c>*.ext</c> and exact names.</summary>
    private static bool Matches(string name, string pattern) =>
        pattern.StartsWith('*') ? name.EndsWith(pattern[1..], StringComparison.Ordinal) : name == pattern;
}

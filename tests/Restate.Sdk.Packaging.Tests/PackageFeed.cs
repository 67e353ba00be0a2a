using System.Reflection;

namespace Restate.Sdk.Packaging.Tests;

/// <summary>
/// The SDK's packages and templates, packed once per test run into a local folder feed, the templates installed into
/// a template store of their own (<c>--debug:custom-hive</c>), so nothing is installed for the machine's user.
/// </summary>
internal sealed class PackageFeed
{
    private static readonly Lazy<Task<PackageFeed>> Shared = new(CreateAsync);

    private PackageFeed(string root)
    {
        Root = root;
    }

    /// <summary>Holds <c>feed/</c> (the .nupkg files), <c>hive/</c> (the template store) and one folder per project.</summary>
    public string Root { get; }

    public string Feed => Path.Combine(Root, "feed");

    public string Hive => Path.Combine(Root, "hive");

    public static Task<PackageFeed> GetAsync() => Shared.Value;

    /// <summary>
    /// Creates a project from <paramref name="template"/> in a folder of its own, with a nuget.config that takes
    /// <c>Restate.*</c> from the local feed only and everything else from nuget.org, and a global packages folder of its
    /// own (reading the machine's as a fallback), so a stale <c>Restate.*</c> of the same version is never used.
    /// </summary>
    /// <returns>The folder the template wrote.</returns>
    public async Task<string> NewProjectAsync(string template, string name)
    {
        var folder = Path.Combine(Root, name);
        (await DotnetCli.RunAsync(Root, null, "new", template, "-n", name, "-o", folder, "--debug:custom-hive", Hive))
            .Succeeded($"dotnet new {template}");
        var machinePackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        await File.WriteAllTextAsync(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{Path.Combine(folder, ".packages")}" />
              </config>
              <packageSources>
                <clear />
                <add key="restate-local" value="{Feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="restate-local"><package pattern="Restate.*" /></packageSource>
                <packageSource key="nuget.org"><package pattern="*" /></packageSource>
              </packageSourceMapping>
              <fallbackPackageFolders>
                <add key="machine" value="{machinePackages}" />
              </fallbackPackageFolders>
            </configuration>
            """);
        return folder;
    }

    private static async Task<PackageFeed> CreateAsync()
    {
        var feed = new PackageFeed(Directory.CreateTempSubdirectory("restate-packages-").FullName);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(feed.Root);
        // The projects are built (this test project references them); pack what the build produced.
        var configuration = typeof(PackageFeed).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        (await DotnetCli.RunAsync(RepositoryRoot(), null, "pack", "packages.slnf", "-c", configuration, "--no-build", "-o", feed.Feed))
            .Succeeded("dotnet pack packages.slnf");
        (await DotnetCli.RunAsync(feed.Root, null, "new", "install", Path.Combine(feed.Feed, $"Restate.Templates.{Version}.nupkg"),
            "--debug:custom-hive", feed.Hive)).Succeeded("dotnet new install Restate.Templates");
        return feed;
    }

    /// <summary>The version every package of this build carries (Directory.Build.props).</summary>
    public static string Version => typeof(PackageFeed).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!
        .InformationalVersion.Split('+')[0];

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "packages.slnf")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No repository root (packages.slnf) above {AppContext.BaseDirectory}.");
    }

    public static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

using System.Diagnostics;

namespace Restate.Sdk.Tests;

/// <summary>Build settings that users meet on the command line, checked by evaluating the projects with MSBuild.</summary>
public sealed class BuildPropertiesTests
{
    [Theory]
    [InlineData("src/Restate.Sdk.Generators/Restate.Sdk.Generators.csproj")]
    [InlineData("src/Restate.Sdk.Analyzers/Restate.Sdk.Analyzers.csproj")]
    public async Task PublishAotOnTheCommandLine_RoslynComponent_StaysOff(string project)
    {
        // `dotnet publish -p:PublishAot=true` hands the property to every referenced project, these netstandard2.0
        // analyzers included; with it on, restore fails with NETSDK1207.
        var output = await EvaluateAsync(project, "PublishAot", "-p:PublishAot=true");

        Assert.Equal("false", output);
    }

    [Fact]
    public async Task PublishAotOnTheCommandLine_AppProject_IsOn()
    {
        var output = await EvaluateAsync("src/Restate.Sdk.AspNetCore/Restate.Sdk.AspNetCore.csproj", "PublishAot", "-p:PublishAot=true");

        Assert.Equal("true", output);
    }

    private static async Task<string> EvaluateAsync(string project, string property, string globalProperty)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "msbuild", Path.Combine(RepositoryRoot(), project), $"-getProperty:{property}", globalProperty, "-nologo" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"dotnet msbuild exited with {process.ExitCode}: {await stdout}{await stderr}");
        return (await stdout).Trim();
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Holiday.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No repository root (Holiday.sln) above {AppContext.BaseDirectory}.");
    }
}

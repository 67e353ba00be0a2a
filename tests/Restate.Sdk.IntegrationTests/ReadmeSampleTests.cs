using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Restate.Sdk.Testing;
using Restate.Sdk.TestServices;

namespace Restate.Sdk.IntegrationTests;

/// <summary>
/// The README's "The SDK in a minute" sample (its first C# block) works as written: the same code (tests/Restate.Sdk.ReadmeSample) runs as
/// its own process and is registered the way the README says, over h2c.
/// </summary>
public sealed class ReadmeSampleTests(PlainServerFixture fixture) : IClassFixture<PlainServerFixture>
{
    [Fact]
    public void ReadmeSample_ProgramCs_IsTheReadmeCodeCharacterForCharacter()
    {
        var root = RepositoryRoot();
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        const string block = "```csharp\n";
        var section = readme.IndexOf("## The SDK in a minute\n", StringComparison.Ordinal);
        var start = section < 0 ? -1 : readme.IndexOf(block, section, StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no 'The SDK in a minute' C# block");
        start += block.Length;
        var end = readme.IndexOf("```\n", start, StringComparison.Ordinal);

        Assert.Equal(readme[start..end], File.ReadAllText(Path.Combine(root, "tests", "Restate.Sdk.ReadmeSample", "Program.cs")));
    }

    [Fact]
    public async Task ReadmeSample_RunAndRegisteredOverH2c_AddsAndAuditsEachTotalOnce()
    {
        var workDir = Directory.CreateTempSubdirectory("restate-readme-sample-").FullName;
        var port = TestServicesHost.FreePort();
        var uri = new Uri($"http://127.0.0.1:{port}/");
        try
        {
            await using (var app = await StartSampleAsync(workDir, uri))
            {
                // What `restate deployments register http://…` does: discovery over HTTP/2 with prior knowledge.
                var deploymentId = await fixture.Server.RegisterDeploymentAsync(uri);
                var key = Guid.NewGuid().ToString("N");

                var first = await fixture.Server.Ingress.PostJsonAsync($"/Counter/{key}/add", "5");
                var second = await fixture.Server.Ingress.PostJsonAsync($"/Counter/{key}/add", "2");
                var deployment = await fixture.DeploymentAsync(deploymentId);

                Assert.Equal((HttpStatusCode.OK, "5"), (first.Status, first.Body));
                Assert.Equal((HttpStatusCode.OK, "7"), (second.Status, second.Body));
                Assert.Equal("HTTP/2.0", deployment["http_version"]?.GetValue<string>());
                Assert.Equal("BidiStream", deployment["protocol_type"]?.GetValue<string>());
            }
            Assert.Equal(["5", "7"], await File.ReadAllLinesAsync(Path.Combine(workDir, "audit.log")));
        }
        finally
        {
            Directory.Delete(workDir, recursive: true);
        }
    }

    /// <summary>Starts <c>dotnet Restate.Sdk.ReadmeSample.dll --urls {uri}</c> in <paramref name="workDir"/> (where it writes audit.log).</summary>
    private static async Task<ManagedProcess> StartSampleAsync(string workDir, Uri uri)
    {
        var assembly = Path.Combine(AppContext.BaseDirectory, "Restate.Sdk.ReadmeSample.dll");
        ManagedProcess? process = null;
        process = new ManagedProcess(new ManagedProcessOptions
        {
            Owner = "readme-sample",
            DisplayName = "Restate.Sdk.ReadmeSample",
            CreateStartInfo = () => new ProcessStartInfo("dotnet")
            {
                ArgumentList = { assembly, "--urls", uri.ToString().TrimEnd('/') },
                WorkingDirectory = workDir,
            },
            StartFailed = e => new InvalidOperationException($"Could not start dotnet {assembly}: {e.Message}", e),
            CreateReadiness = () => new ManagedProcessReadiness(
                async ct => await AcceptsConnectionsAsync(uri.Port, ct),
                pid => new TimeoutException($"The README sample (pid {pid}) did not listen on {uri} in time.\n{process!.FormatRecentLog()}")),
            ExitedDuringStart = (pid, code) =>
                new InvalidOperationException($"The README sample (pid {pid}) exited with {code} before listening.\n{process!.FormatRecentLog()}"),
            StartupTimeout = TimeSpan.FromSeconds(30),
        });
        await process.StartAsync(CancellationToken.None);
        return process;
    }

    private static async Task<bool> AcceptsConnectionsAsync(int port, CancellationToken ct)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, ct);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
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

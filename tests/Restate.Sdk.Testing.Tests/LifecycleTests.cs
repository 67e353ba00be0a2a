using System.Diagnostics;
using System.Net;

namespace Restate.Sdk.Testing.Tests;

public sealed class LifecycleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task KillAsync_ThenRestartAsync_SameUrisDataKeptAndAnswersAgain()
    {
        using var endpoint = new ManifestEndpoint();
        await using var server = await RestateServer.StartAsync(TestSupport.Options(output));
        var deploymentId = await server.RegisterDeploymentAsync(endpoint.Uri, useHttp11: true);
        var adminUri = server.AdminUri;
        var ingressUri = server.IngressUri;
        var firstPid = server.ProcessId;

        await server.KillAsync();
        Assert.False(TestSupport.ProcessExists(firstPid));
        await Assert.ThrowsAsync<HttpRequestException>(() => server.Admin.GetAsync("health"));

        var restarted = Stopwatch.StartNew();
        await server.RestartAsync();
        output.WriteLine($"healthy again after {restarted.ElapsedMilliseconds} ms");

        Assert.Equal(adminUri, server.AdminUri);
        Assert.Equal(ingressUri, server.IngressUri);
        Assert.NotEqual(firstPid, server.ProcessId);
        using (var health = await server.Admin.GetAsync("health"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        var deployment = await TestSupport.GetJsonAsync(server.Admin, $"deployments/{deploymentId}");
        Assert.Equal(deploymentId, (string?)deployment["id"]);
        var rows = await server.QueryAsync("select count(*) as n from sys_invocation");
        Assert.Single(rows);
    }

    [Fact]
    public async Task StopAsync_Running_StopsGracefullyWithSigterm()
    {
        await using var server = await RestateServer.StartAsync(TestSupport.Options(output));
        var pid = server.ProcessId;

        var stopping = Stopwatch.StartNew();
        await server.StopAsync();
        output.WriteLine($"stopped after {stopping.ElapsedMilliseconds} ms");

        Assert.False(TestSupport.ProcessExists(pid));
        Assert.Contains(server.RecentLog, line => line.Contains("SIGTERM", StringComparison.Ordinal));
        Assert.True(Directory.Exists(server.DataDirectory));
    }

    [Fact]
    public async Task DisposeAsync_Running_ProcessAndDataDirectoryGone()
    {
        var server = await RestateServer.StartAsync(TestSupport.Options(output));
        var pid = server.ProcessId;
        var dataDirectory = server.DataDirectory;
        Assert.True(TestSupport.ProcessExists(pid));
        Assert.True(Directory.Exists(dataDirectory));

        await server.DisposeAsync();

        Assert.False(TestSupport.ProcessExists(pid));
        Assert.False(Directory.Exists(dataDirectory));
        await server.DisposeAsync(); // idempotent
    }

    [Fact]
    public async Task DisposeAsync_AfterKill_DataDirectoryGone()
    {
        var server = await RestateServer.StartAsync(TestSupport.Options(output));
        await server.KillAsync();

        await server.DisposeAsync();

        Assert.False(Directory.Exists(server.DataDirectory));
    }
}

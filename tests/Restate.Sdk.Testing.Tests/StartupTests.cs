using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Restate.Sdk.Testing.Tests;

public sealed class StartupTests(ITestOutputHelper output)
{
    [Fact]
    public async Task StartAsync_Defaults_AdminReportsVersion1712()
    {
        var started = Stopwatch.StartNew();
        await using var server = await RestateServer.StartAsync(TestSupport.Options(output));
        output.WriteLine($"healthy after {started.ElapsedMilliseconds} ms");

        var version = await TestSupport.GetJsonAsync(server.Admin, "version");

        Assert.Equal("1.7.12", (string?)version["version"]);
        Assert.Equal(server.IngressUri.ToString(), (string?)version["ingress_endpoint"]);
        Assert.Equal("127.0.0.1", server.AdminUri.Host);
        Assert.Equal("127.0.0.1", server.IngressUri.Host);
        Assert.True(TestSupport.ProcessExists(server.ProcessId));
    }

    [Fact]
    public async Task StartAsync_TwoInParallel_DistinctPortsAndBothAnswer()
    {
        var servers = await Task.WhenAll(
            RestateServer.StartAsync(TestSupport.Options(output)),
            RestateServer.StartAsync(TestSupport.Options(output)));
        await using var first = servers[0];
        await using var second = servers[1];

        int[] ports = [first.AdminUri.Port, first.IngressUri.Port, second.AdminUri.Port, second.IngressUri.Port];
        Assert.Equal(ports.Length, ports.Distinct().Count());
        Assert.NotEqual(first.ProcessId, second.ProcessId);
        Assert.NotEqual(first.DataDirectory, second.DataDirectory);
        foreach (var server in servers)
        {
            using var admin = await server.Admin.GetAsync("health");
            using var ingress = await server.Ingress.GetAsync("restate/health");
            Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
            Assert.Equal(HttpStatusCode.OK, ingress.StatusCode);
        }
    }

    [Fact]
    public async Task StartAsync_EnvironmentOverride_ReachesServer()
    {
        var environment = new Dictionary<string, string>
        {
            ["RESTATE_CLUSTER_NAME"] = "restate-testing-override",
            ["RESTATE_WORKER__INVOKER__INACTIVITY_TIMEOUT"] = "0s",
        };
        await using var server = await RestateServer.StartAsync(TestSupport.Options(output, environment));

        var health = await TestSupport.GetJsonAsync(server.Admin, "cluster-health");

        Assert.Equal("restate-testing-override", (string?)health["cluster_name"]);
    }

    [Fact]
    public async Task StartAsync_InvalidDurationValue_ThrowsConfigurationErrorQuickly()
    {
        var environment = new Dictionary<string, string> { ["RESTATE_WORKER__INVOKER__INACTIVITY_TIMEOUT"] = "banana" };
        var started = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => RestateServer.StartAsync(TestSupport.Options(output, environment)));

        Assert.Contains("RT0002", error.Message, StringComparison.Ordinal);
        Assert.Contains("INACTIVITY-TIMEOUT", error.Message, StringComparison.Ordinal);
        Assert.Contains("exit code 1", error.Message, StringComparison.Ordinal);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(15), $"took {started.Elapsed}");
    }

    [Fact]
    public async Task StartAsync_MissingBinaryPath_ThrowsFileNotFound()
    {
        var options = TestSupport.Options(output) with { BinaryPath = "/nonexistent/restate-server" };

        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => RestateServer.StartAsync(options));

        Assert.Contains("/nonexistent/restate-server", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_LogCallback_ReceivesServerOutputAndRecentLogKeepsIt()
    {
        var lines = new ConcurrentQueue<string>();
        var options = TestSupport.Options(output) with { Log = lines.Enqueue };

        await using var server = await RestateServer.StartAsync(options);

        Assert.Contains(lines, line => line.Contains("restate_server", StringComparison.Ordinal));
        Assert.NotEmpty(server.RecentLog);
        Assert.True(server.RecentLog.Count <= 200);
    }

    [Fact]
    public async Task StartAsync_AdminPortAlwaysTaken_RetriesThenThrowsAddressInUse()
    {
        using var blocker = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        blocker.Start();
        var taken = ((IPEndPoint)blocker.LocalEndpoint).Port;
        var lines = new ConcurrentQueue<string>();
        var environment = new Dictionary<string, string> { ["RESTATE_ADMIN__BIND_ADDRESS"] = $"127.0.0.1:{taken}" };
        var options = TestSupport.Options(output, environment) with
        {
            Log = line =>
            {
                lines.Enqueue(line);
                output.WriteLine(line);
            },
        };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RestateServer.StartAsync(options));

        Assert.Contains("Address in use", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, lines.Count(line => line.Contains("retrying with fresh ports", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task StartAsync_NeverHealthy_TimesOutAndKillsProcess()
    {
        // Without provisioning the ports accept connections but never answer (pitfall P6): the probes must time out.
        var environment = new Dictionary<string, string> { ["RESTATE_AUTO_PROVISION"] = "false" };
        var options = TestSupport.Options(output, environment) with { StartupTimeout = TimeSpan.FromSeconds(2) };
        var started = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<TimeoutException>(() => RestateServer.StartAsync(options));

        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"took {started.Elapsed}");
        Assert.Contains("not healthy", error.Message, StringComparison.Ordinal);
        Assert.False(TestSupport.ProcessExists(TestSupport.PidFromMessage(error.Message)));
    }

    [Fact]
    public async Task StartAsync_Canceled_ThrowsAndKillsProcess()
    {
        var environment = new Dictionary<string, string> { ["RESTATE_AUTO_PROVISION"] = "false" };
        var lines = new ConcurrentQueue<string>();
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = TestSupport.Options(output, environment) with
        {
            Log = line =>
            {
                lines.Enqueue(line);
                if (line.Contains("Server listening", StringComparison.Ordinal))
                {
                    listening.TrySetResult();
                }
            },
        };
        using var cancel = new CancellationTokenSource();

        var start = RestateServer.StartAsync(options, cancel.Token);
        await listening.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var dataDirectory = TestSupport.DataDirectoryFromLog(lines);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => start);
        Assert.False(Directory.Exists(dataDirectory));
    }

    [Fact]
    public async Task StartAsync_ExplicitBinaryPath_UsesIt()
    {
        var binary = TestSupport.FindInstalledBinary();
        var options = TestSupport.Options(output) with { BinaryPath = binary };

        await using var server = await RestateServer.StartAsync(options);

        Assert.Equal(binary, File.ReadAllText($"/proc/{server.ProcessId}/cmdline").Split('\0')[0]);
    }
}

using System.Net;
using Restate.Sdk.Testing;
using Restate.Sdk.TestServices;

namespace Restate.Sdk.IntegrationTests;

/// <summary>
/// Crashes mid-invocation: the service process (SIGKILL, then a new process on the same port) and restate-server
/// itself. The invocation must complete, and every RunAsync that had completed before the crash must not run again.
/// </summary>
public sealed class CrashRecoveryTests : IAsyncLifetime
{
    private readonly string _workDir = Directory.CreateTempSubdirectory("restate-sdk-crash-").FullName;
    private readonly int _http2Port = TestServicesHost.FreePort();
    private readonly int _http1Port = TestServicesHost.FreePort();
    private RestateServer _server = null!;
    private ManagedProcess _services = null!;
    private SideEffectLog _log = null!;

    public async Task InitializeAsync()
    {
        _log = new SideEffectLog(Path.Combine(_workDir, "side-effects.log"));
        _server = await RestateServer.StartAsync(new RestateServerOptions { Environment = ServerConfiguration.BidiStream.Environment });
        _services = await DotnetAppProcess.StartAsync(Path.Combine(AppContext.BaseDirectory, "Restate.Sdk.TestServices.dll"),
            [$"{_http2Port}", $"{_http1Port}"], new Dictionary<string, string> { [SideEffectLog.PathVariable] = _log.Path }, "listening");
        await _server.RegisterDeploymentAsync(new Uri($"http://127.0.0.1:{_http2Port}/"));
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _server.DisposeAsync();
        Directory.Delete(_workDir, recursive: true);
    }

    [Fact]
    public async Task ServiceProcess_KilledMidInvocation_InvocationCompletesAndCompletedRunIsNotRepeated()
    {
        var key = Guid.NewGuid().ToString("N");
        var invocationId = await SendAsync(key);
        var gate = await WaitForMailboxAsync(key);

        await _services.KillAsync();
        await _services.RestartAsync(CancellationToken.None);
        await ResolveAsync(gate);
        var result = await AttachAsync(invocationId);

        Assert.Equal("\"done:go\"", result);
        Assert.Equal(1, _log.Count($"step1:{key}"));
        Assert.Equal(1, _log.Count($"step2:{key}"));
    }

    [Fact]
    public async Task RestateServer_KilledMidInvocation_InvocationCompletesAfterRestart()
    {
        var key = Guid.NewGuid().ToString("N");
        var invocationId = await SendAsync(key);
        var gate = await WaitForMailboxAsync(key);

        await _server.KillAsync();
        await _server.RestartAsync();
        await ResolveAsync(gate);
        var result = await AttachAsync(invocationId);

        Assert.Equal("\"done:go\"", result);
        Assert.Equal(1, _log.Count($"step1:{key}"));
        Assert.Equal(1, _log.Count($"step2:{key}"));
    }

    private async Task<string> SendAsync(string key)
    {
        using var response = await _server.Ingress.PostAsync("/KillTest/run/send", Json($"\"{key}\""));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["invocationId"]!.GetValue<string>();
    }

    private async Task<string> WaitForMailboxAsync(string key)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            using var response = await _server.Ingress.PostAsync($"/Mailbox/{key}/get", null, timeout.Token);
            var value = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync(timeout.Token))!.GetValue<string>();
            if (value.Length > 0)
            {
                return value;
            }
            await Task.Delay(20, timeout.Token);
        }
    }

    private async Task ResolveAsync(string awakeableId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await _server.Ingress.PostAsync($"/restate/awakeables/{awakeableId}/resolve", Json("\"go\""), timeout.Token);
        Assert.True(response.IsSuccessStatusCode, $"resolve answered {response.StatusCode}");
    }

    private async Task<string> AttachAsync(string invocationId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var response = await _server.Ingress.GetAsync($"/restate/invocation/{invocationId}/attach", timeout.Token);
        return await response.Content.ReadAsStringAsync(timeout.Token);
    }

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}

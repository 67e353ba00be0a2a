using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Restate.Sdk.AspNetCore;
using Restate.Sdk.Client;
using Restate.Sdk.Endpoint;
using Restate.Sdk.Testing;

namespace Restate.Sdk.Generators.Tests.EndToEnd;

/// <summary>Calls and sends <see cref="Nullables"/> through its generated in-handler client with a scope and limit key.</summary>
[Service("scopedRelay")]
public static partial class ScopedRelay
{
    /// <summary>Input <c>{scope}|{limitKey}</c>; answers <c>{call's answer}|{send's invocation id}</c>.</summary>
    [Handler("relay")]
    public static async Task<string> RelayAsync(Context ctx, string spec)
    {
        var parts = spec.Split('|');
        var nullables = ctx.ServiceClient<NullablesClient>();
        var answer = await nullables.TextAsync("called", new CallOptions { Scope = parts[0], LimitKey = parts[1] });
        var sent = nullables.Send(new SendOptions { Scope = parts[0], LimitKey = parts[1] }).Text("sent");
        return $"{answer}|{await sent.InvocationId}";
    }
}

/// <summary>restate-server with protocol V7 and virtual queues (what scopes need), serving <see cref="Nullables"/> and <see cref="ScopedRelay"/>.</summary>
public sealed class ScopedEndToEndFixture : IAsyncLifetime
{
    private WebApplication? _app;

    public RestateServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await RestateServer.StartAsync(new RestateServerOptions
        {
            Environment = new Dictionary<string, string>
            {
                ["RESTATE_EXPERIMENTAL_ENABLE_PROTOCOL_V7"] = "true",
                ["RESTATE_EXPERIMENTAL_ENABLE_VQUEUES"] = "true",
            },
        });
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        _app = builder.Build();
        _app.MapRestate(RestateEndpoint.CreateBuilder().Bind(Nullables.Definition()).Bind(ScopedRelay.Definition()).Build());
        await _app.StartAsync();
        await Server.RegisterDeploymentAsync(new Uri(_app.Urls.Single()));
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        await Server.DisposeAsync();
    }
}

/// <summary>Scope and limit key pass through the generated clients' options (they hand CallOptions/SendOptions on as they are).</summary>
public sealed class ScopedClientsTests(ScopedEndToEndFixture fixture) : IClassFixture<ScopedEndToEndFixture>
{
    private static string NewScope() => "gen-" + Guid.NewGuid().ToString("N")[..16];

    [Fact]
    public async Task InHandlerGeneratedClient_CallAndSendWithScope_StartScopedInvocations()
    {
        var scope = NewScope();
        using var client = RestateClient.Create(fixture.Server.IngressUri);

        var answer = await client.ServiceClient<ScopedRelayIngressClient>().RelayAsync($"{scope}|tenant1");

        var parts = answer.Split('|');
        Assert.Equal("called", parts[0]);
        var rows = await WaitForScopedAsync(scope, 2);
        Assert.All(rows, row => Assert.Equal("tenant1", (string)row!["limit_key"]!));
        Assert.Contains(rows, row => (string)row!["id"]! == parts[1]);
    }

    [Fact]
    public async Task GeneratedIngressClient_CallAndSendWithScope_StartScopedInvocations()
    {
        var scope = NewScope();
        using var client = RestateClient.Create(fixture.Server.IngressUri);
        var nullables = client.ServiceClient<NullablesIngressClient>();

        var answer = await nullables.TextAsync("direct", new CallOptions { Scope = scope, LimitKey = "tenant2/user7" });
        var sent = await nullables.Send(new SendOptions { Scope = scope, LimitKey = "tenant2/user7" }).TextAsync("later");

        Assert.Equal("direct", answer);
        var rows = await WaitForScopedAsync(scope, 2);
        Assert.All(rows, row => Assert.Equal("tenant2/user7", (string)row!["limit_key"]!));
        Assert.Contains(rows, row => (string)row!["id"]! == sent.InvocationId);
    }

    private async Task<System.Text.Json.Nodes.JsonArray> WaitForScopedAsync(string scope, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var rows = await fixture.Server.QueryAsync(
                $"SELECT id, limit_key FROM sys_invocation WHERE scope = '{scope}' AND target = 'nullables/text' AND status = 'completed'");
            if (rows.Count >= count || DateTime.UtcNow > deadline)
            {
                Assert.Equal(count, rows.Count);
                return rows;
            }
            await Task.Delay(50);
        }
    }
}

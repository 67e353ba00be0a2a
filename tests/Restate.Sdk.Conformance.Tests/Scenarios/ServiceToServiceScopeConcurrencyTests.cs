using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Restate.Sdk.AspNetCore;
using Restate.Sdk.Conformance.Tests.Infrastructure;
using Restate.Sdk.Definitions;
using Restate.Sdk.Endpoint;
using static Restate.Sdk.Conformance.Tests.Infrastructure.Contracts;

namespace Restate.Sdk.Conformance.Tests.Scenarios;

/// <summary>
/// The SDK passes a call's scope and limit key on to the runtime (protocol V7): <c>Proxy/manyCalls</c>, in the
/// services process, sends four one-way calls with the same scope and limit key to <c>BlockingProxy/block</c>, which
/// this test process hosts so it can count how many run at once. A concurrency rule of 2 on "scope/limitKey" must
/// then hold them to two at a time: had either option been dropped, the rule would not match and all four would run.
/// Each <c>block</c> holds its slot by calling a <c>Blocker</c> object that waits on an awakeable the test resolves,
/// one at a time. Single node only, as upstream: on a cluster a leadership change may briefly run more than the limit.
/// </summary>
public sealed class ServiceToServiceScopeConcurrencyOnV7(ScopeConcurrencyRuntime fixture)
    : IClassFixture<ScopeConcurrencyRuntime>, IAsyncLifetime
{
    private const int Limit = 2;
    private const int Invocations = 4;
    private static readonly StateKey<string> AwakeableId = new("awk", Serde.String);
    private static readonly StateKey<string> Result = new("result", Serde.String);

    private readonly BlockCounter _blocks = new();
    private WebApplication? _host;

    public async Task InitializeAsync()
    {
        var endpoint = RestateEndpoint.CreateBuilder()
            .Bind(ServiceDefinition.ForService("BlockingProxy")
                .Handler("block", async (Context ctx, string key) =>
                {
                    _blocks.Enter();
                    try
                    {
                        return await ctx.CallAsync(Target.ForObject("Blocker", key, "run"), Serde.String);
                    }
                    finally
                    {
                        _blocks.Leave();
                    }
                }, Serde.String, Serde.String)
                .Build())
            .Bind(ServiceDefinition.ForVirtualObject("Blocker")
                .Handler("run", async (ObjectContext ctx) =>
                {
                    var awakeable = ctx.Awakeable(Serde.String);
                    ctx.Set(AwakeableId, awakeable.Id);
                    var value = await awakeable.Value;
                    ctx.Set(Result, value);
                    return value;
                }, Serde.String)
                .SharedHandler("getAwakeable", async (SharedObjectContext ctx) => await ctx.GetAsync(AwakeableId) ?? "", Serde.String)
                .SharedHandler("getResult", async (SharedObjectContext ctx) => await ctx.GetAsync(Result) ?? "", Serde.String)
                .SharedHandler("resolveAwakeable", async (SharedObjectContext ctx, string value) =>
                {
                    var id = await ctx.GetAsync(AwakeableId) ?? throw new TerminalException("Awakeable not registered yet");
                    ctx.ResolveAwakeable(id, value, Serde.String);
                }, Serde.String)
                .Build())
            .Build();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0,
            listen => listen.Protocols = HttpProtocols.Http2));
        _host = builder.Build();
        _host.MapRestate(endpoint);
        await _host.StartAsync();
        await fixture.Runtime.RegisterDeploymentAsync(new Uri(_host.Urls.Single()), useHttp11: false);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    [Fact]
    public async Task ManyCalls_ScopeAndLimitKeyUnderAConcurrencyRule_RunAtMostTheLimitAtOnce()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var scope = $"s2s-scope-{run}";
        var limitKey = $"s2s-limitkey-{run}";
        await UpsertConcurrencyRuleAsync($"{scope}/{limitKey}", Limit);
        await AwaitRuleInForceAsync(scope, limitKey, run);

        _blocks.Reset();
        var keys = Enumerable.Range(0, Invocations).Select(i => $"blocker-{run}-{i}").ToList();
        (await fixture.CallAsync("/Proxy/manyCalls", new JsonArray([.. keys.Select(key => (JsonNode)ManyCall(
            ScopedProxyRequest(key, scope, limitKey), oneWayCall: true, awaitAtTheEnd: false))]).ToJsonString(),
            idempotencyKey: Guid.NewGuid().ToString())).EnsureOk();

        await Eventually.SucceedsAsync($"exactly {Limit} scoped invocations are running", async ct =>
        {
            var running = await fixture.Runtime.QueryAsync(
                $"select id from sys_invocation where target_service_name = 'BlockingProxy' and scope = '{scope}' and status = 'running'", ct);
            Assert.Equal(Limit, running.Count);
        });

        var unresolved = new HashSet<string>(keys);
        for (var i = 0; i < Invocations; i++)
        {
            var active = await FindRegisteredBlockerAsync(unresolved);
            (await fixture.CallAsync($"/Blocker/{active}/resolveAwakeable", JsonString("done"))).EnsureOk();
            unresolved.Remove(active);
        }
        foreach (var key in keys)
        {
            await Eventually.SucceedsAsync($"blocker {key} completed", async ct =>
                Assert.Equal("done", (await fixture.CallAsync($"/Blocker/{key}/getResult", ct: ct)).EnsureOk().Json.GetValue<string>()));
        }

        Assert.True(_blocks.Max <= Limit, $"{_blocks.Max} BlockingProxy handlers ran at once; the rule allows {Limit}");
        Assert.Equal(Invocations, _blocks.Entered);
    }

    private static JsonObject ScopedProxyRequest(string key, string scope, string limitKey)
    {
        var request = ProxyRequest("BlockingProxy", null, "block", JsonString(key));
        request["scope"] = scope;
        request["limitKey"] = limitKey;
        return request;
    }

    /// <summary>PUT /limits/rules: at most <paramref name="concurrency"/> invocations whose scope/limit key match run at once.</summary>
    private async Task UpsertConcurrencyRuleAsync(string pattern, int concurrency)
    {
        using var response = await fixture.Runtime.Admin.PutAsJsonAsync("limits/rules",
            new JsonArray(new JsonObject { ["pattern"] = pattern, ["limits"] = new JsonObject { ["concurrency"] = concurrency } }));
        Assert.True(response.IsSuccessStatusCode, $"upserting the rule answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>
    /// The admin API stores the rule at once; each partition applies it when it next reads the rule book. Waits until a
    /// probe invocation under the same scope and limit key is counted against the rule (<c>sys_user_limits</c>), then
    /// lets the probe finish, so the invocations under test meet the rule already in force.
    /// </summary>
    private async Task AwaitRuleInForceAsync(string scope, string limitKey, string run)
    {
        var probe = $"probe-{run}";
        (await fixture.CallAsync("/Proxy/oneWayCall", ScopedProxyRequest(probe, scope, limitKey).ToJsonString(),
            idempotencyKey: Guid.NewGuid().ToString())).EnsureOk();
        await Eventually.SucceedsAsync("the probe is counted under the concurrency rule", async ct =>
        {
            var counters = await fixture.Runtime.QueryAsync(
                $"select concurrency_limit from sys_user_limits where scope = '{scope}' and concurrency_limit is not null", ct);
            Assert.Contains(counters, row => row!["concurrency_limit"]?.GetValue<int>() == Limit);
        });
        await Eventually.SucceedsAsync("the probe's blocker is waiting", async ct =>
            Assert.NotEqual("", (await fixture.CallAsync($"/Blocker/{probe}/getAwakeable", ct: ct)).EnsureOk().Json.GetValue<string>()));
        (await fixture.CallAsync($"/Blocker/{probe}/resolveAwakeable", JsonString("done"))).EnsureOk();
        await Eventually.SucceedsAsync("the probe's block returned", async _ => Assert.Equal(0, _blocks.Current));
    }

    private async Task<string> FindRegisteredBlockerAsync(IReadOnlySet<string> candidates)
    {
        string? found = null;
        await Eventually.SucceedsAsync("a waiting blocker among the unresolved keys", async ct =>
        {
            foreach (var key in candidates)
            {
                var awakeable = (await fixture.CallAsync($"/Blocker/{key}/getAwakeable", ct: ct)).EnsureOk().Json.GetValue<string>();
                if (awakeable.Length > 0)
                {
                    found = key;
                    return;
                }
            }
            Assert.Fail("no blocker has registered its awakeable yet");
        });
        return found!;
    }

    /// <summary>How many <c>block</c> handlers run in this process now, at most, and in all.</summary>
    private sealed class BlockCounter
    {
        private readonly Lock _gate = new();

        public int Current { get; private set; }

        public int Max { get; private set; }

        public int Entered { get; private set; }

        public void Enter()
        {
            lock (_gate)
            {
                Current++;
                Entered++;
                Max = Math.Max(Max, Current);
            }
        }

        public void Leave()
        {
            lock (_gate)
            {
                Current--;
            }
        }

        public void Reset()
        {
            lock (_gate)
            {
                (Current, Max, Entered) = (0, 0, 0);
            }
        }
    }
}

/// <summary>V7 with the server's virtual queues on (scoped invocations and the rule book need them), rules read every second.</summary>
public sealed class ScopeConcurrencyRuntime() : ConformanceFixture(RuntimeConfiguration.V7.With(
    ("RESTATE_EXPERIMENTAL_ENABLE_VQUEUES", "true"),
    ("RESTATE_WORKER__RULE_BOOK_POLL_INTERVAL", "1s")));

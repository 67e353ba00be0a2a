using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Restate.Sdk.Client;
using Restate.Sdk.Definitions;
using Restate.Sdk.Testing;

namespace Restate.Sdk.IntegrationTests;

/// <summary>
/// The services of the scope tests. <c>Limited/hold</c> waits on an awakeable and records, in this process, which
/// invocations are inside it at the same time; <c>Fanout</c> issues scoped calls and sends from a handler.
/// </summary>
public sealed class ScopeServices
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Dictionary<string, string>> _running = [];
    private readonly ConcurrentDictionary<string, int> _peak = new();
    private readonly ConcurrentDictionary<string, int> _finished = new();

    /// <summary>Names are <c>{run}-{n}</c>: the run groups one test's invocations.</summary>
    private static string RunOf(string name) => name[..name.LastIndexOf('-')];

    /// <summary>The awakeable ids of the invocations of <paramref name="run"/> now inside <c>Limited/hold</c>.</summary>
    public IReadOnlyList<string> Running(string run)
    {
        lock (_gate)
        {
            return _running.TryGetValue(run, out var ids) ? [.. ids.Keys] : [];
        }
    }

    /// <summary>The most invocations of <paramref name="run"/> that were inside <c>Limited/hold</c> at once.</summary>
    public int Peak(string run) => _peak.GetValueOrDefault(run);

    /// <summary>How many invocations of <paramref name="run"/> left <c>Limited/hold</c>.</summary>
    public int Finished(string run) => _finished.GetValueOrDefault(run);

    public ServiceDefinition Limited() => ServiceDefinition.ForService("Limited")
        .Handler("hold", async (Context ctx, string name) =>
        {
            var run = RunOf(name);
            var awakeable = ctx.Awakeable(Serde.String);
            lock (_gate)
            {
                // Keyed by the awakeable id, which a replay of the same invocation gets again.
                var ids = _running.TryGetValue(run, out var existing) ? existing : _running[run] = [];
                ids[awakeable.Id] = name;
                _peak.AddOrUpdate(run, ids.Count, (_, peak) => Math.Max(peak, ids.Count));
            }
            var value = await awakeable.Value;
            lock (_gate)
            {
                if (_running[run].Remove(awakeable.Id))
                {
                    _finished.AddOrUpdate(run, 1, (_, n) => n + 1);
                }
            }
            return value;
        }, Serde.String, Serde.String)
        .Build();

    /// <summary>Input <c>{run}|{scope}|{limitKey or empty}</c>.</summary>
    public static ServiceDefinition Fanout() => ServiceDefinition.ForService("Fanout")
        .Handler("sendFour", (Context ctx, string spec) =>
        {
            var (run, scope, limitKey) = Parse(spec);
            for (var i = 0; i < 4; i++)
            {
                ctx.Send(Target.ForService("Limited", "hold"), $"{run}-{i}", Serde.String, new SendOptions { Scope = scope, LimitKey = limitKey });
            }
            return Task.CompletedTask;
        }, Serde.String)
        .Handler("callEcho", async (Context ctx, string spec) =>
        {
            var (run, scope, limitKey) = Parse(spec);
            return await ctx.CallAsync(Target.ForService("Echo", "echo"), run, Serde.String, Serde.String,
                new CallOptions { Scope = scope, LimitKey = limitKey });
        }, Serde.String, Serde.String)
        .Build();

    public static ServiceDefinition Echo() => ServiceDefinition.ForService("Echo")
        .Handler("echo", (Context ctx, string value) => Task.FromResult(value), Serde.String, Serde.String)
        .Build();

    public static ServiceDefinition Keeper() => ServiceDefinition.ForVirtualObject("Keeper")
        .SharedHandler("get", (SharedObjectContext ctx) => Task.FromResult(ctx.Key), Serde.String)
        .Build();

    private static (string Run, string Scope, string? LimitKey) Parse(string spec)
    {
        var parts = spec.Split('|');
        return (parts[0], parts[1], parts[2].Length == 0 ? null : parts[2]);
    }
}

/// <summary>
/// restate-server with service protocol V7 and virtual queues on (the flags scopes and limit keys need), the rule book
/// polled every second, and the scope services hosted over HTTP/2.
/// </summary>
public sealed class ScopeServerFixture : IAsyncLifetime
{
    public ScopeServices Services { get; } = new();

    public RestateTestEnvironment Env { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Env = await RestateTestEnvironment.StartAsync(endpoint => endpoint
            .Bind(Services.Limited()).Bind(ScopeServices.Fanout()).Bind(ScopeServices.Echo()).Bind(ScopeServices.Keeper()),
            new RestateTestOptions
            {
                Server = new RestateServerOptions
                {
                    Environment = new Dictionary<string, string>
                    {
                        ["RESTATE_EXPERIMENTAL_ENABLE_PROTOCOL_V7"] = "true",
                        ["RESTATE_EXPERIMENTAL_ENABLE_VQUEUES"] = "true",
                        ["RESTATE_WORKER__RULE_BOOK_POLL_INTERVAL"] = "1s",
                    },
                },
            });
    }

    public async Task DisposeAsync() => await Env.DisposeAsync();
}

/// <summary>Scopes and limit keys against the real restate-server: the concurrency cap, the ingress's scoped paths.</summary>
public sealed class ScopeLimitKeyTests(ScopeServerFixture fixture) : IClassFixture<ScopeServerFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly RestateTestEnvironment _env = fixture.Env;
    private readonly ScopeServices _services = fixture.Services;

    /// <summary>A scope nobody else uses: scoped invocations land in the partition of their scope, rules match it exactly.</summary>
    private static string NewScope() => "it-" + Guid.NewGuid().ToString("N")[..16];

    [Fact]
    public async Task LimitKey_ConcurrencyRuleOfTwo_CapsTheFourSendsOfAHandlerAtTwoRunningAtOnce()
    {
        var scope = NewScope();
        const string limitKey = "downstream1";
        await UpsertRuleAndWaitUntilAppliedAsync(scope, limitKey, concurrency: 2);
        var run = scope + "-limited";

        await _env.Client.CallAsync(Target.ForService("Fanout", "sendFour"), $"{run}|{scope}|{limitKey}", Serde.String);

        // Two start; the server holds the other two back as pending under the limit (not merely late).
        await Until(() => _services.Running(run).Count == 2, "two of the four sends to run");
        await UntilAsync(async () => (await InvocationsAsync(scope, "pending")).Count == 2, "the server to hold two sends as pending");
        var limits = await _env.Server.QueryAsync(
            $"SELECT usage, concurrency_limit, rule_pattern FROM sys_user_limits WHERE scope = '{scope}' AND l1 = '{limitKey}'");
        var limit = Assert.Single(limits)!;
        Assert.Equal(2, (int)limit["concurrency_limit"]!);
        Assert.Equal($"{scope}/{limitKey}", (string)limit["rule_pattern"]!);
        Assert.Equal(2, _services.Running(run).Count);

        // Resolving one at a time lets exactly one more in, until all four finished.
        for (var resolved = 1; resolved <= 4; resolved++)
        {
            var next = _services.Running(run)[0];
            await _env.Client.ResolveAwakeableAsync(next, "go", Serde.String);
            var expectedRunning = Math.Min(2, 4 - resolved);
            await Until(() => _services.Finished(run) == resolved && _services.Running(run).Count == expectedRunning,
                $"{resolved} finished and {expectedRunning} running");
        }
        await UntilAsync(async () => (await InvocationsAsync(scope, "completed")).Count == 4, "all four to complete");
        Assert.Equal(2, _services.Peak(run));
        Assert.All(await InvocationsAsync(scope, "completed"), row => Assert.Equal(limitKey, (string)row!["limit_key"]!));
    }

    [Fact]
    public async Task NoLimitKey_SameScope_AllFourSendsRunAtOnce()
    {
        var scope = NewScope();
        // The same rule as the limited case: it caps the limit key, so sends without one pass freely.
        await UpsertRuleAndWaitUntilAppliedAsync(scope, "downstream1", concurrency: 2);
        var run = scope + "-control";

        await _env.Client.CallAsync(Target.ForService("Fanout", "sendFour"), $"{run}|{scope}|", Serde.String);

        await Until(() => _services.Running(run).Count == 4, "all four sends to run at once");
        foreach (var id in _services.Running(run))
        {
            await _env.Client.ResolveAwakeableAsync(id, "go", Serde.String);
        }
        await Until(() => _services.Finished(run) == 4, "all four to finish");
        Assert.Equal(4, _services.Peak(run));
        Assert.All(await InvocationsAsync(scope, "completed"), row => Assert.Null(row!["limit_key"]));
    }

    [Fact]
    public async Task InHandlerCall_ScopeAndLimitKey_ReachTheCalleesInvocation()
    {
        var scope = NewScope();

        var answer = await _env.Client.CallAsync(Target.ForService("Fanout", "callEcho"), $"echoed|{scope}|tenant1/user7", Serde.String, Serde.String);

        Assert.Equal("echoed", answer);
        var callee = Assert.Single(await _env.Server.QueryAsync(
            $"SELECT target, scope, limit_key FROM sys_invocation WHERE scope = '{scope}'"))!;
        Assert.Equal("Echo/echo", (string)callee["target"]!);
        Assert.Equal("tenant1/user7", (string)callee["limit_key"]!);
    }

    [Fact]
    public async Task IngressCall_WithScope_RunsTheServiceInThatScope()
    {
        var scope = NewScope();

        var answer = await _env.Client.CallAsync(Target.ForService("Echo", "echo"), "hi", Serde.String, Serde.String,
            new CallOptions { Scope = scope, LimitKey = "tenant1" });

        Assert.Equal("hi", answer);
        var row = Assert.Single(await _env.Server.QueryAsync($"SELECT target, limit_key FROM sys_invocation WHERE scope = '{scope}'"))!;
        Assert.Equal("Echo/echo", (string)row["target"]!);
        Assert.Equal("tenant1", (string)row["limit_key"]!);
    }

    [Fact]
    public async Task IngressSend_WithScopeAndLimitKey_StartsAScopedInvocation()
    {
        var scope = NewScope();
        var run = scope + "-send";

        var sent = await _env.Client.SendAsync(Target.ForService("Limited", "hold"), $"{run}-0", Serde.String,
            new SendOptions { Scope = scope, LimitKey = "tenant1/user7" });

        await Until(() => _services.Running(run).Count == 1, "the sent invocation to run");
        var row = Assert.Single(await _env.Server.QueryAsync($"SELECT id, limit_key FROM sys_invocation WHERE scope = '{scope}'"))!;
        Assert.Equal(sent.InvocationId, (string)row["id"]!);
        Assert.Equal("tenant1/user7", (string)row["limit_key"]!);
        await _env.Client.ResolveAwakeableAsync(_services.Running(run)[0], "go", Serde.String);
        Assert.Equal("go", await _env.Client.AttachAsync(sent.InvocationId, Serde.String));
    }

    [Fact]
    public async Task IngressCall_ScopedVirtualObject_IsRefusedWithoutTheScopedObjectsFlag()
    {
        var error = await Assert.ThrowsAsync<RestateIngressException>(() => _env.Client.CallAsync(Target.ForObject("Keeper", "k1", "get"),
            Serde.String, new CallOptions { Scope = NewScope() }));

        Assert.Contains("Virtual Object", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IngressCall_LimitKeyWithoutScope_ThrowsBeforeAnyRequest()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => _env.Client.CallAsync(Target.ForService("Echo", "echo"), "x",
            Serde.String, Serde.String, new CallOptions { LimitKey = "tenant1" }));

        Assert.Contains("has no scope", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Upserts the rule <c>{scope}/{limitKey}</c> and waits until the partition of <paramref name="scope"/> applies it.
    /// restate-server 1.7.12 exposes the applied rule book version only to restatectl, so the wait uses a probe: the
    /// same upsert (one rule book version) adds <c>{scope}/probe</c> with a limit of 1; a scoped invocation with limit
    /// key <c>probe</c> runs, and once the partition's limiter shows the probe's rule (sys_user_limits), it holds the
    /// whole version, the rule under test included.
    /// </summary>
    private async Task UpsertRuleAndWaitUntilAppliedAsync(string scope, string limitKey, int concurrency)
    {
        using var put = await _env.Server.Admin.PutAsJsonAsync("limits/rules", new JsonArray(
            new JsonObject { ["pattern"] = $"{scope}/{limitKey}", ["limits"] = new JsonObject { ["concurrency"] = concurrency } },
            new JsonObject { ["pattern"] = $"{scope}/probe", ["limits"] = new JsonObject { ["concurrency"] = 1 } }));
        Assert.True(put.IsSuccessStatusCode, $"PUT limits/rules answered {(int)put.StatusCode}: {await put.Content.ReadAsStringAsync()}");

        var probe = scope + "-probe";
        await _env.Client.SendAsync(Target.ForService("Limited", "hold"), $"{probe}-0", Serde.String,
            new SendOptions { Scope = scope, LimitKey = "probe" });
        await Until(() => _services.Running(probe).Count == 1, "the probe to run");
        await UntilAsync(async () => (await _env.Server.QueryAsync(
                $"SELECT concurrency_limit FROM sys_user_limits WHERE scope = '{scope}' AND l1 = 'probe' AND rule_pattern = '{scope}/probe'")).Count == 1,
            "the partition to apply the rule book");
        await _env.Client.ResolveAwakeableAsync(_services.Running(probe)[0], "go", Serde.String);
        await Until(() => _services.Finished(probe) == 1, "the probe to finish");
    }

    /// <summary>The <c>Limited/hold</c> invocations of <paramref name="scope"/> in <paramref name="status"/>, the probe excluded.</summary>
    private async Task<JsonArray> InvocationsAsync(string scope, string status) =>
        await _env.Server.QueryAsync(
            $"SELECT id, limit_key FROM sys_invocation WHERE scope = '{scope}' AND target = 'Limited/hold' AND status = '{status}' " +
            "AND (limit_key IS NULL OR limit_key <> 'probe')");

    private static Task Until(Func<bool> condition, string what) => UntilAsync(() => Task.FromResult(condition()), what);

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {Patience.TotalSeconds:0} s for {what}.");
            }
            await Task.Delay(50);
        }
    }
}

/// <summary>restate-server without its experimental flags: service protocol V6, no virtual queues.</summary>
public sealed class UnflaggedScopeServerFixture : IAsyncLifetime
{
    public RestateTestEnvironment Env { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Env = await RestateTestEnvironment.StartAsync(endpoint => endpoint.Bind(ScopeServices.Fanout()).Bind(ScopeServices.Echo()));

    public async Task DisposeAsync() => await Env.DisposeAsync();
}

/// <summary>What a user sees who sets a scope while restate-server runs without the flags it needs.</summary>
public sealed class ScopeWithoutServerFlagsTests(UnflaggedScopeServerFixture fixture) : IClassFixture<UnflaggedScopeServerFixture>
{
    private readonly RestateTestEnvironment _env = fixture.Env;

    [Fact]
    public async Task InHandlerScopedCall_ProtocolV6_FailsTheAttemptRetryablyNamingTheServerFlag()
    {
        var scope = "it-" + Guid.NewGuid().ToString("N")[..16];

        var sent = await _env.Client.SendAsync(Target.ForService("Fanout", "callEcho"), $"x|{scope}|tenant1", Serde.String);

        // Retried, not failed: the invocation stays in backing-off with the SDK's message as its last failure.
        JsonNode? row = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (row?["last_failure_error_code"] is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the invocation never recorded a failure");
            await Task.Delay(50);
            row = (await _env.Server.QueryAsync(
                $"SELECT status, last_failure, last_failure_error_code FROM sys_invocation WHERE id = '{sent.InvocationId}'")).SingleOrDefault();
        }
        var failure = (string)row["last_failure"]!;
        Assert.StartsWith("[573 Unsupported feature] A call with a scope or limit key needs service protocol V7, but this invocation negotiated V6",
            failure, StringComparison.Ordinal);
        Assert.Contains("RESTATE_EXPERIMENTAL_ENABLE_PROTOCOL_V7=true", failure, StringComparison.Ordinal);
        Assert.NotEqual("completed", (string)row["status"]!); // backing-off, or already running its next attempt
    }

    [Fact]
    public async Task IngressScopedCall_NoVirtualQueues_IsRefusedByTheServer()
    {
        var error = await Assert.ThrowsAsync<RestateIngressException>(() => _env.Client.CallAsync(Target.ForService("Echo", "echo"), "x",
            Serde.String, Serde.String, new CallOptions { Scope = "it-scope" }));

        Assert.Contains("scoped invocations require vqueues", error.Message, StringComparison.Ordinal);
    }
}

/// <summary>restate-server with V7, virtual queues and the scoped-virtual-objects flag.</summary>
public sealed class ScopedObjectsServerFixture : IAsyncLifetime
{
    public RestateTestEnvironment Env { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Env = await RestateTestEnvironment.StartAsync(endpoint => endpoint.Bind(ScopeServices.Keeper()), new RestateTestOptions
        {
            Server = new RestateServerOptions
            {
                Environment = new Dictionary<string, string>
                {
                    ["RESTATE_EXPERIMENTAL_ENABLE_PROTOCOL_V7"] = "true",
                    ["RESTATE_EXPERIMENTAL_ENABLE_VQUEUES"] = "true",
                    ["RESTATE_EXPERIMENTAL_ENABLE_SCOPED_VIRTUAL_OBJECTS"] = "true",
                },
            },
        });

    public async Task DisposeAsync() => await Env.DisposeAsync();
}

/// <summary>Virtual objects take a scope once the server allows scoped objects.</summary>
public sealed class ScopedObjectTests(ScopedObjectsServerFixture fixture) : IClassFixture<ScopedObjectsServerFixture>
{
    private readonly RestateTestEnvironment _env = fixture.Env;

    [Fact]
    public async Task IngressCall_ScopedVirtualObject_RunsInThatScope()
    {
        var scope = "it-" + Guid.NewGuid().ToString("N")[..16];

        var key = await _env.Client.CallAsync(Target.ForObject("Keeper", "k1", "get"), Serde.String,
            new CallOptions { Scope = scope, LimitKey = "tenant1" });

        Assert.Equal("k1", key);
        var row = Assert.Single(await _env.Server.QueryAsync($"SELECT target, limit_key FROM sys_invocation WHERE scope = '{scope}'"))!;
        Assert.Equal("Keeper/k1/get", (string)row["target"]!);
        Assert.Equal("tenant1", (string)row["limit_key"]!);
    }
}

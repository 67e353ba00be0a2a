using System.Collections.Concurrent;
using Restate.Sdk.Definitions;
using Restate.Sdk.Endpoint;
using Restate.Sdk.Testing;
using Xunit.Abstractions;

namespace Restate.Sdk.IntegrationTests;

/// <summary>
/// Service protocol V7 against the real restate-server, which speaks it only with
/// <c>RESTATE_EXPERIMENTAL_ENABLE_PROTOCOL_V7=true</c>: sleep, runs, calls, awakeables, all/any/race combinators,
/// cancellation and the idempotency key, in bidi and request/response deployments; and the same handlers on V6
/// without the flag. The content type each attempt arrived with shows which version was negotiated.
/// </summary>
public sealed class ProtocolV7Tests(ITestOutputHelper output)
{
    private const string Service = "V7Probe";
    private const string V7 = "application/vnd.restate.invocation.v7";
    private const string V6 = "application/vnd.restate.invocation.v6";

    // Executions of run closures and handlers that reached their blocking await, by the key the test passed in.
    private static readonly ConcurrentDictionary<string, int> RunExecutions = new();
    private static readonly ConcurrentDictionary<string, string> Blocked = new();

    private static readonly ServiceDefinition Probe = ServiceDefinition.ForService(Service)
        .Handler("protocol", (Context ctx) => Task.FromResult(ContentType(ctx)), Serde.String)
        .Handler("sleep", async (Context ctx) =>
        {
            await ctx.SleepAsync(TimeSpan.FromMilliseconds(50));
            return ContentType(ctx);
        }, Serde.String)
        .Handler("runs", async (Context ctx, string key) =>
        {
            Counted(key + "-attempts", 0);
            var first = await ctx.RunAsync("first", _ => Task.FromResult(Counted(key, 20)));
            var second = await ctx.RunAsync("second", _ => Task.FromResult(Counted(key, 22)));
            return $"{first + second} {ContentType(ctx)}";
        }, Serde.String, Serde.String)
        .Handler("echo", (Context _, string text) => Task.FromResult($"echo:{text}"), Serde.String, Serde.String)
        .Handler("call", async (Context ctx, string text) =>
            await ctx.CallAsync<string, string>(Target.ForService(Service, "echo"), text), Serde.String, Serde.String)
        .Handler("resolve", (Context ctx, string awakeableId) =>
        {
            ctx.ResolveAwakeable(awakeableId, "resolved");
            return Task.CompletedTask;
        }, Serde.String)
        .Handler("awakeable", async (Context ctx) =>
        {
            var awakeable = ctx.Awakeable<string>();
            ctx.Send(Target.ForService(Service, "resolve"), awakeable.Id);
            return await awakeable.Value;
        }, Serde.String)
        .Handler("combinators", async (Context ctx, string key) =>
        {
            // all: two timers and a run; any: a rejected awakeable, then a resolved one; race: a timer against an
            // awakeable nobody resolves.
            var run = ctx.RunAsync("in-all", _ => Task.FromResult(Counted(key, 1)));
            await DurableFuture.All(ctx.SleepAsync(TimeSpan.FromMilliseconds(30)), ctx.SleepAsync(TimeSpan.FromMilliseconds(60)), run);
            var rejected = ctx.Awakeable<string>();
            var resolved = ctx.Awakeable<string>();
            ctx.RejectAwakeable(rejected.Id, "no");
            ctx.Send(Target.ForService(Service, "resolve"), resolved.Id);
            var any = await DurableFuture.Any(rejected.Value, resolved.Value);
            var never = ctx.Awakeable<string>();
            var winner = await DurableFuture.Race(never.Value, ctx.SleepAsync(TimeSpan.FromMilliseconds(30)));
            return $"{await run} {any} {winner}";
        }, Serde.String, Serde.String)
        .Handler("blocked", async (Context ctx, string key) =>
        {
            var never = ctx.Awakeable<string>();
            Blocked[key] = ctx.Request.InvocationId;
            return await never.Value;
        }, Serde.String, Serde.String)
        .Handler("callBlocked", async (Context ctx, string key) =>
            await ctx.CallAsync<string, string>(Target.ForService(Service, "blocked"), key), Serde.String, Serde.String)
        .Handler("idempotencyKey", (Context ctx) => Task.FromResult(ctx.Request.IdempotencyKey ?? "none"), Serde.String)
        .Handler("drift", async (Context ctx, string key) =>
        {
            // The first attempt journals a run and fails; the next ones sleep where the journal has the run.
            if (RunExecutions.AddOrUpdate(key + "-drift", 1, (_, n) => n + 1) == 1)
            {
                await ctx.RunAsync("before", _ => Task.FromResult(1));
                throw new InvalidOperationException("fail once, then change");
            }
            await ctx.SleepAsync(TimeSpan.FromMilliseconds(1));
            return "unreachable";
        }, Serde.String, Serde.String, new HandlerOptions { OnJournalMismatch = OnJournalMismatch.Pause })
        .Handler("exhausted", async (Context ctx) =>
            await ctx.RunAsync<int>("always fails", _ => throw new InvalidOperationException("down"),
                new RunOptions { RetryPolicy = RetryPolicy.FixedDelay(TimeSpan.FromMilliseconds(10)) with { MaxAttempts = 2, PauseWhenExhausted = true } }),
            Serde.Int32)
        .Build();

    [Theory]
    [InlineData(ProtocolMode.BidiStream, true)]
    [InlineData(ProtocolMode.RequestResponse, true)]
    [InlineData(ProtocolMode.BidiStream, false)]
    public async Task Handlers_UnderTheNegotiatedVersion_GiveTheSameResults(ProtocolMode mode, bool v7)
    {
        var environment = new Dictionary<string, string>
        {
            ["RESTATE_DEFAULT_RETRY_POLICY__INITIAL_INTERVAL"] = "20ms",
            ["RESTATE_DEFAULT_RETRY_POLICY__MAX_INTERVAL"] = "100ms",
        };
        if (v7)
        {
            environment["RESTATE_EXPERIMENTAL_ENABLE_PROTOCOL_V7"] = "true";
        }
        await using var restate = await RestateTestEnvironment.StartAsync(endpoint => endpoint.Bind(Probe),
            new RestateTestOptions { ProtocolMode = mode, Server = new RestateServerOptions { Environment = environment }, Log = output.WriteLine });
        var client = restate.Client;
        var expected = v7 ? V7 : V6;
        var key = Guid.NewGuid().ToString("N");

        Assert.Equal(expected, await client.CallAsync(Target.ForService(Service, "protocol"), Serde.String));
        // After the timer: in request/response mode this is the replay attempt, which negotiates again.
        Assert.Equal(expected, await client.CallAsync(Target.ForService(Service, "sleep"), Serde.String));
        // Each closure runs once: the acknowledged (V7 bidi) or journaled (request/response) value is used afterwards.
        Assert.Equal($"42 {expected}", await client.CallAsync(Target.ForService(Service, "runs"), key, Serde.String, Serde.String));
        Assert.Equal(2, RunExecutions[key]);
        // Bidi: both results come back on the open stream (V7: as acknowledgements), one attempt. Request/response: the
        // runtime cannot answer, so each proposal ends the attempt and the next one replays it.
        Assert.Equal(mode == ProtocolMode.BidiStream ? 1 : 3, RunExecutions[key + "-attempts"]);
        Assert.Equal("echo:hi", await client.CallAsync(Target.ForService(Service, "call"), "hi", Serde.String, Serde.String));
        Assert.Equal("resolved", await client.CallAsync(Target.ForService(Service, "awakeable"), Serde.String));
        Assert.Equal("1 resolved 1", await client.CallAsync(Target.ForService(Service, "combinators"), key + "-c", Serde.String, Serde.String));
        Assert.Equal(1, RunExecutions[key + "-c"]);
        if (!v7)
        {
            Assert.Equal("none",
                await client.CallAsync(Target.ForService(Service, "idempotencyKey"), Serde.String, new CallOptions { IdempotencyKey = "order-42" }));
        }

        // Cancelling a parent blocked on a child call: the cancel signal wakes it (it is part of every await), the
        // SDK cancels the child, and both fail with 409.
        var parent = await client.SendAsync(Target.ForService(Service, "callBlocked"), key, Serde.String);
        var child = await WaitForBlockedAsync(key);
        using (var cancel = await restate.Server.Admin.PatchAsync($"/invocations/{parent.InvocationId}/cancel", null))
        {
            Assert.True(cancel.IsSuccessStatusCode, $"cancel answered {cancel.StatusCode}");
        }
        Assert.Equal(409, (await Assert.ThrowsAsync<TerminalException>(() => client.AttachAsync(parent.InvocationId, Serde.String))).Code);
        Assert.Equal(409, (await Assert.ThrowsAsync<TerminalException>(() => client.AttachAsync(child, Serde.String))).Code);
    }

    [Theory]
    [InlineData(ProtocolMode.BidiStream)]
    [InlineData(ProtocolMode.RequestResponse)]
    public async Task IdempotencyKey_UnderV7_IsVisibleToTheHandler(ProtocolMode mode)
    {
        // restate-server 1.7 fills StartMessage.idempotency_key on the invocation path of its (experimental) virtual
        // queues; without them the field stays empty and the handler sees null.
        var environment = new Dictionary<string, string>
        {
            ["RESTATE_EXPERIMENTAL_ENABLE_PROTOCOL_V7"] = "true",
            ["RESTATE_EXPERIMENTAL_ENABLE_VQUEUES"] = "true",
        };
        await using var restate = await RestateTestEnvironment.StartAsync(endpoint => endpoint.Bind(Probe),
            new RestateTestOptions { ProtocolMode = mode, Server = new RestateServerOptions { Environment = environment }, Log = output.WriteLine });

        Assert.Equal(V7, await restate.Client.CallAsync(Target.ForService(Service, "protocol"), Serde.String));
        Assert.Equal("order-42", await restate.Client.CallAsync(Target.ForService(Service, "idempotencyKey"), Serde.String,
            new CallOptions { IdempotencyKey = "order-42" }));
        Assert.Equal("order-43", await restate.Client.CallAsync(Target.ForService(Service, "idempotencyKey"), Serde.String,
            new CallOptions { IdempotencyKey = "order-43" }));
    }

    [Theory]
    [InlineData(ProtocolMode.BidiStream, "drift")]
    [InlineData(ProtocolMode.RequestResponse, "drift")]
    [InlineData(ProtocolMode.BidiStream, "exhausted")]
    [InlineData(ProtocolMode.RequestResponse, "exhausted")]
    public async Task PauseBehaviour_UnderV7_PausesTheInvocation(ProtocolMode mode, string handler)
    {
        // drift: a journal mismatch on a handler configured to pause; exhausted: a run whose policy pauses when its
        // two attempts are spent. The server's own retry policy would retry (fast) forever.
        var environment = new Dictionary<string, string>
        {
            ["RESTATE_EXPERIMENTAL_ENABLE_PROTOCOL_V7"] = "true",
            ["RESTATE_DEFAULT_RETRY_POLICY__INITIAL_INTERVAL"] = "20ms",
            ["RESTATE_DEFAULT_RETRY_POLICY__MAX_INTERVAL"] = "100ms",
            ["RESTATE_DEFAULT_RETRY_POLICY__MAX_ATTEMPTS"] = "unlimited",
        };
        await using var restate = await RestateTestEnvironment.StartAsync(endpoint => endpoint.Bind(Probe),
            new RestateTestOptions { ProtocolMode = mode, Server = new RestateServerOptions { Environment = environment }, Log = output.WriteLine });

        var sent = handler == "drift"
            ? await restate.Client.SendAsync(Target.ForService(Service, handler), Guid.NewGuid().ToString("N"), Serde.String)
            : await restate.Client.SendAsync(Target.ForService(Service, handler));

        Assert.Equal("paused", await WaitForStatusAsync(restate, sent.InvocationId, "paused"));
    }

    private static async Task<string> WaitForStatusAsync(RestateTestEnvironment restate, string invocationId, string wanted)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var status = "(none)";
        while (!timeout.IsCancellationRequested)
        {
            var row = (await restate.Server.QueryAsync($"select status from sys_invocation where id = '{invocationId}'")).SingleOrDefault();
            status = row?["status"]?.GetValue<string>() ?? "(none)";
            if (status == wanted)
            {
                break;
            }
            await Task.Delay(50, CancellationToken.None);
        }
        return status;
    }

    private static string ContentType(Context ctx) => ctx.Request.AttemptHeaders.GetValueOrDefault("content-type") ?? "(none)";

    private static int Counted(string key, int value)
    {
        RunExecutions.AddOrUpdate(key, 1, (_, n) => n + 1);
        return value;
    }

    private static async Task<string> WaitForBlockedAsync(string key)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!Blocked.TryGetValue(key, out _))
        {
            await Task.Delay(20, timeout.Token);
        }
        return Blocked[key];
    }
}

using Restate.Sdk.Definitions;

namespace Restate.Sdk.TestServices;

/// <summary>
/// Services that exercise every SDK feature, for the integration tests. Side effects are recorded in a
/// <see cref="SideEffectLog"/> so tests can count how often each one really ran.
/// </summary>
public static class TestServiceCatalog
{
    private static readonly StateKey<long> Count = new("count", Serde.Int64);
    private static readonly StateKey<string> Text = new("text", Serde.String);
    private static readonly Serde<AddResult> AddResultSerde = Serde.Json(TestJson.Default.AddResult);
    private static readonly Serde<CallRequest> CallRequestSerde = Serde.Json(TestJson.Default.CallRequest);
    private static readonly Serde<string[]> StringsSerde = Serde.Json(TestJson.Default.StringArray);
    private static readonly Serde<Dictionary<string, string>> MapSerde = Serde.Json(TestJson.Default.DictionaryStringString);

    public static IReadOnlyList<ServiceDefinition> All(SideEffectLog log) =>
    [
        Counter(), Mailbox(), Greeter(log), Sequencer(log), Caller(), Awaiter(), Signup(), Combinators(log), Determinism(),
        Blocker(), KillTest(log), Configured(), Signals(), Telemetry(), Unwinding(log), Introspection(), IntrospectionObject(), Trees(),
        Inferred(), InferredAtEndpoint(), Intercepted(), Mapped(log),
    ];

    /// <summary>Held by Unwinding/holdLock across its awaits: an attempt that never released it would block the next one.</summary>
    private static readonly SemaphoreSlim Lock = new(1, 1);

    /// <summary>Keyed state: eager/lazy reads, writes, clear, keys, and a terminal failure after a write.</summary>
    public static ServiceDefinition Counter() => ServiceDefinition.ForVirtualObject("Counter")
        .Handler("add", async (ObjectContext ctx, long delta) =>
        {
            var old = await ctx.GetAsync(Count);
            ctx.Set(Count, old + delta);
            return new AddResult(old, old + delta);
        }, Serde.Int64, AddResultSerde)
        .Handler("addThenFail", async (ObjectContext ctx, long delta) =>
        {
            ctx.Set(Count, await ctx.GetAsync(Count) + delta);
            throw new TerminalException($"addThenFail {ctx.Key}", 422);
        }, Serde.Int64)
        .SharedHandler("get", async (SharedObjectContext ctx) => await ctx.GetAsync(Count), Serde.Int64)
        .SharedHandler("keys", async (SharedObjectContext ctx) => (await ctx.StateKeysAsync()).ToArray(), StringsSerde)
        .Handler("setText", (ObjectContext ctx, string text) =>
        {
            ctx.Set(Text, text);
            return Task.CompletedTask;
        }, Serde.String)
        .Handler("clearText", (ObjectContext ctx) =>
        {
            ctx.Clear(Text.Name);
            return Task.CompletedTask;
        })
        .Handler("reset", (ObjectContext ctx) =>
        {
            ctx.ClearAll();
            return Task.CompletedTask;
        })
        .Build();

    /// <summary>A place to drop values (awakeable ids) that tests poll for.</summary>
    public static ServiceDefinition Mailbox() => ServiceDefinition.ForVirtualObject("Mailbox")
        .Handler("put", (ObjectContext ctx, string value) =>
        {
            ctx.Set(Text, value);
            return Task.CompletedTask;
        }, Serde.String)
        .SharedHandler("get", async (SharedObjectContext ctx) => await ctx.GetAsync(Text) ?? string.Empty, Serde.String)
        .Build();

    public static ServiceDefinition Greeter(SideEffectLog log) => ServiceDefinition.ForService("Greeter")
        .Handler("greet", async (Context ctx, string name) =>
        {
            var greeting = await ctx.RunAsync("compose", _ =>
            {
                log.Record($"greet:{ctx.InvocationId}");
                return Task.FromResult($"Hello {name}");
            }, Serde.String);
            await ctx.SleepAsync(TimeSpan.FromMilliseconds(10), "pause");
            return greeting + "!";
        }, Serde.String, Serde.String)
        .Build();

    /// <summary>Runs: retries, retry policies, terminal failures, and handler exceptions after completed runs.</summary>
    public static ServiceDefinition Sequencer(SideEffectLog log) => ServiceDefinition.ForService("Sequencer")
        .Handler("flaky", async (Context ctx, int failures) =>
        {
            return await ctx.RunAsync("flaky", _ =>
            {
                var entry = $"flaky:{ctx.InvocationId}";
                log.Record(entry);
                var attempt = log.Count(entry);
                return attempt <= failures ? throw new IOException($"transient failure {attempt}") : Task.FromResult(attempt);
            }, Serde.Int32);
        }, Serde.Int32, Serde.Int32)
        .Handler("exhaust", async (Context ctx, int maxAttempts) =>
        {
            try
            {
                await ctx.RunAsync("always-fails", _ =>
                {
                    log.Record($"exhaust:{ctx.InvocationId}");
                    return Task.FromException<int>(new InvalidOperationException("boom"));
                }, Serde.Int32, new RunOptions { RetryPolicy = RetryPolicy.FixedDelay(TimeSpan.FromMilliseconds(10)) with { MaxAttempts = maxAttempts } });
                return "unexpected success";
            }
            catch (TerminalException e)
            {
                return $"gave up: {e.Message}";
            }
        }, Serde.Int32, Serde.String)
        .Handler("rateLimited", async (Context ctx, string where) =>
        {
            // Retried after the hour the failure asks for, not after the run policy's 10 ms (nor the server's default).
            if (where == "handler")
            {
                throw new RetryableException("rate limited in the handler", TimeSpan.FromHours(1));
            }
            return await ctx.RunAsync("call-api", _ => Task.FromException<string>(new RetryableException("rate limited", TimeSpan.FromHours(1))),
                Serde.String, new RunOptions { RetryPolicy = RetryPolicy.FixedDelay(TimeSpan.FromMilliseconds(10)) });
        }, Serde.String, Serde.String)
        .Handler("pauseWhenExhausted", async (Context ctx) =>
        {
            // The run leaves its retries to the server (RetryPolicy.Infinite), so the handler's policy counts them and
            // pauses the invocation after its second attempt instead of failing it.
            return await ctx.RunAsync("always-fails", _ =>
            {
                log.Record($"pause:{ctx.InvocationId}");
                return Task.FromException<string>(new IOException("downstream is down"));
            }, Serde.String, new RunOptions { RetryPolicy = RetryPolicy.Infinite });
        }, Serde.String, new HandlerOptions
        {
            RetryInitialInterval = TimeSpan.FromMilliseconds(10),
            RetryMaxAttempts = 2,
            RetryOnMaxAttempts = OnMaxAttempts.Pause,
        })
        .Handler("terminalRun", async (Context ctx) =>
        {
            await ctx.RunAsync("refuses", _ => Task.FromException(new TerminalException("no way", 418)));
            return "unreachable";
        }, Serde.String)
        .Handler("failAfterRun", async (Context ctx, int failures) =>
        {
            await ctx.RunAsync("before", _ =>
            {
                log.Record($"before:{ctx.InvocationId}");
                return Task.CompletedTask;
            });
            var entry = $"handler-attempt:{ctx.InvocationId}";
            log.Record(entry);
            if (log.Count(entry) <= failures)
            {
                throw new InvalidOperationException("handler failed, retry me");
            }
            return log.Count($"before:{ctx.InvocationId}");
        }, Serde.Int32, Serde.Int32)
        .Build();

    /// <summary>Calls and sends: request-response, one-way with delay and idempotency key, headers, attach, output.</summary>
    public static ServiceDefinition Caller() => ServiceDefinition.ForService("Caller")
        .Handler("callCounter", async (Context ctx, CallRequest request) =>
            await ctx.CallAsync(Target.ForObject("Counter", request.Key, "add"), request.Value, Serde.Int64, AddResultSerde,
                new CallOptions { IdempotencyKey = request.IdempotencyKey }), CallRequestSerde, AddResultSerde)
        .Handler("sendCounter", async (Context ctx, CallRequest request) =>
        {
            var handle = ctx.Send(Target.ForObject("Counter", request.Key, "add"), request.Value, Serde.Int64, new SendOptions
            {
                IdempotencyKey = request.IdempotencyKey,
                Delay = request.DelayMillis > 0 ? TimeSpan.FromMilliseconds(request.DelayMillis) : null,
            });
            return await handle.InvocationId;
        }, CallRequestSerde, Serde.String)
        .Handler("echoHeaders", (Context ctx) => Task.FromResult(new Dictionary<string, string>(ctx.Headers)), MapSerde)
        .Handler("callWithHeaders", async (Context ctx) =>
            await ctx.CallAsync(Target.ForService("Caller", "echoHeaders"), Array.Empty<byte>(), Serde.Bytes, MapSerde,
                new CallOptions { Headers = new Dictionary<string, string> { ["x-from-caller"] = "yes" } }), MapSerde)
        .Handler("attach", async (Context ctx, string invocationId) =>
            await ctx.AttachInvocation(invocationId, AddResultSerde), Serde.String, AddResultSerde)
        .Handler("output", async (Context ctx, string invocationId) =>
        {
            var output = await ctx.GetInvocationOutputAsync(invocationId, AddResultSerde);
            return output.IsReady ? $"ready:{output.Value!.NewValue}" : "not-ready";
        }, Serde.String, Serde.String)
        .Build();

    /// <summary>Awakeables: the id goes to the Mailbox, the test or another handler completes it.</summary>
    public static ServiceDefinition Awaiter() => ServiceDefinition.ForService("Awaiter")
        .Handler("wait", async (Context ctx, string mailbox) =>
        {
            var awakeable = ctx.Awakeable(Serde.String);
            ctx.Send(Target.ForObject("Mailbox", mailbox, "put"), awakeable.Id, Serde.String);
            try
            {
                return "resolved:" + await awakeable.Value;
            }
            catch (TerminalException e)
            {
                return $"rejected:{e.Code}:{e.Message}";
            }
        }, Serde.String, Serde.String)
        .Handler("resolve", (Context ctx, string idAndValue) =>
        {
            var parts = idAndValue.Split('|', 2);
            ctx.ResolveAwakeable(parts[0], parts[1], Serde.String);
            return Task.CompletedTask;
        }, Serde.String)
        .Handler("reject", (Context ctx, string id) =>
        {
            ctx.RejectAwakeable(id, "nope", 451);
            return Task.CompletedTask;
        }, Serde.String)
        .Build();

    /// <summary>A workflow: the run handler waits on a durable promise that a shared handler resolves.</summary>
    public static ServiceDefinition Signup() => ServiceDefinition.ForWorkflow("Signup")
        .Run("run", async (WorkflowContext ctx, string email) =>
        {
            ctx.Set(Text, "waiting");
            var secret = await ctx.Promise("confirmed", Serde.String).GetAsync();
            ctx.Set(Text, "confirmed");
            return new SignupResult(email, secret);
        }, Serde.String, Serde.Json(TestJson.Default.SignupResult))
        .SharedHandler("confirm", async (SharedWorkflowContext ctx, string secret) =>
        {
            try
            {
                await ctx.Promise("confirmed", Serde.String).ResolveAsync(secret);
                return "accepted";
            }
            catch (TerminalException e)
            {
                return $"refused:{e.Code}";
            }
        }, Serde.String, Serde.String)
        .SharedHandler("decline", async (SharedWorkflowContext ctx, string reason) =>
        {
            await ctx.Promise("confirmed", Serde.String).RejectAsync(reason);
            return "declined";
        }, Serde.String, Serde.String)
        .SharedHandler("status", async (SharedWorkflowContext ctx) => await ctx.GetAsync(Text) ?? "none", Serde.String)
        .SharedHandler("peek", async (SharedWorkflowContext ctx) =>
        {
            var state = await ctx.Promise("confirmed", Serde.String).PeekAsync();
            return state.IsCompleted ? $"completed:{state.Value}" : "pending";
        }, Serde.String)
        .Build();

    /// <summary>Combinators and timeouts over durable futures.</summary>
    public static ServiceDefinition Combinators(SideEffectLog log) => ServiceDefinition.ForService("Combinators")
        .Handler("raceSleepVsAwakeable", async (Context ctx) =>
        {
            var never = ctx.Awakeable(Serde.String);
            var timer = ctx.SleepAsync(TimeSpan.FromMilliseconds(50));
            return await DurableFuture.Race(never.Value, timer);
        }, Serde.Int32)
        .Handler("allRuns", async (Context ctx) =>
        {
            var runs = Enumerable.Range(1, 3)
                .Select(i => ctx.RunAsync($"part-{i}", _ =>
                {
                    log.Record($"part:{ctx.InvocationId}:{i}");
                    return Task.FromResult($"p{i}");
                }, Serde.String))
                .ToArray();
            return string.Join(",", await DurableFuture.All(runs));
        }, Serde.String)
        .Handler("timeout", async (Context ctx) =>
        {
            try
            {
                return await ctx.Awakeable(Serde.String).Value.WithTimeout(TimeSpan.FromMilliseconds(50));
            }
            catch (TerminalException e) when (e.Code == 408)
            {
                return "timed out";
            }
        }, Serde.String)
        .Handler("anySucceeds", async (Context ctx) =>
        {
            var fails = ctx.RunAsync("fails", _ => Task.FromException<string>(new TerminalException("first fails")), Serde.String);
            var works = ctx.RunAsync("works", _ => Task.FromResult("second works"), Serde.String);
            return await DurableFuture.Any(fails, works);
        }, Serde.String)
        .Handler("allSettled", async (Context ctx) =>
        {
            var fails = ctx.RunAsync("fails", _ => Task.FromException<string>(new TerminalException("bad")), Serde.String);
            var works = ctx.RunAsync("works", _ => Task.FromResult("good"), Serde.String);
            await DurableFuture.AllSettled(fails, works);
            string failure;
            try
            {
                await fails;
                failure = "none";
            }
            catch (TerminalException e)
            {
                failure = e.Message;
            }
            return $"{await works}+{failure}";
        }, Serde.String)
        .Handler("concurrentBranches", async (Context ctx) =>
        {
            // Two async branches awaiting at once: the SDK drives both deterministically.
            async Task<string> Branch(string name, int millis)
            {
                await ctx.SleepAsync(TimeSpan.FromMilliseconds(millis), name);
                return await ctx.RunAsync(name, _ => Task.FromResult(name), Serde.String);
            }
            var results = await Task.WhenAll(Branch("a", 30), Branch("b", 10));
            return string.Join(",", results);
        }, Serde.String)
        .Build();

    public static ServiceDefinition Determinism() => ServiceDefinition.ForService("Determinism")
        .Handler("random", async (Context ctx) =>
        {
            var first = ctx.Random.NewGuid();
            await ctx.SleepAsync(TimeSpan.FromMilliseconds(1));
            return $"{first}:{ctx.Random.Next(1000)}:{(await ctx.NowAsync()).Year}";
        }, Serde.String)
        .Handler("useContextInsideRun", async (Context ctx) =>
        {
            try
            {
                await ctx.RunAsync("bad", async _ =>
                {
                    await ctx.SleepAsync(TimeSpan.FromMilliseconds(1));
                    return "unreachable";
                }, Serde.String, new RunOptions { RetryPolicy = RetryPolicy.None });
                return "unexpected";
            }
            catch (TerminalException e)
            {
                return e.Message;
            }
        }, Serde.String)
        .Build();

    /// <summary>Blocks on an awakeable nobody resolves, so tests can cancel it (directly or through a parent call).</summary>
    public static ServiceDefinition Blocker() => ServiceDefinition.ForService("Blocker")
        .Handler("block", async (Context ctx, string mailbox) =>
        {
            var awakeable = ctx.Awakeable(Serde.String);
            ctx.Send(Target.ForObject("Mailbox", mailbox, "put"), ctx.InvocationId, Serde.String);
            try
            {
                return await awakeable.Value;
            }
            catch (TerminalException e) when (e.IsCancellation)
            {
                await ctx.RunAsync("compensate", _ => Task.CompletedTask);
                throw;
            }
        }, Serde.String, Serde.String)
        .Handler("callBlocker", async (Context ctx, string mailbox) =>
            await ctx.CallAsync(Target.ForService("Blocker", "block"), mailbox, Serde.String, Serde.String), Serde.String, Serde.String)
        .Handler("cancel", (Context ctx, string invocationId) =>
        {
            ctx.CancelInvocation(invocationId);
            return Task.CompletedTask;
        }, Serde.String)
        .Build();

    /// <summary>Named signals: one invocation waits on a signal that another one sends to it.</summary>
    /// <summary>Logs around a timer and a run, for the replay-aware logger and the attempt/run spans.</summary>
    public static ServiceDefinition Telemetry() => ServiceDefinition.ForService("Telemetry")
        .Handler("logAroundSleep", async (Context ctx, string tag) =>
        {
            TelemetryLog.BeforeSleep(ctx.Logger, tag);
            await ctx.SleepAsync(TimeSpan.FromMilliseconds(10));
            var step = await ctx.RunAsync("step", _ => Task.FromResult(System.Diagnostics.Activity.Current?.DisplayName ?? "none"), Serde.String);
            TelemetryLog.AfterSleep(ctx.Logger, tag);
            return step;
        }, Serde.String, Serde.String)
        .Build();

    public static ServiceDefinition Signals() => ServiceDefinition.ForService("Signals")
        .Handler("wait", async (Context ctx, string mailbox) =>
        {
            ctx.Send(Target.ForObject("Mailbox", mailbox, "put"), ctx.InvocationId, Serde.String);
            try
            {
                return "signal:" + await ctx.Signal("go", Serde.String);
            }
            catch (TerminalException e)
            {
                return $"rejected:{e.Message}";
            }
        }, Serde.String, Serde.String)
        .Handler("send", (Context ctx, string idAndValue) =>
        {
            var parts = idAndValue.Split('|', 2);
            if (parts[1].StartsWith('!'))
            {
                ctx.RejectSignal(parts[0], "go", parts[1][1..]);
            }
            else
            {
                ctx.ResolveSignal(parts[0], "go", parts[1], Serde.String);
            }
            return Task.CompletedTask;
        }, Serde.String)
        .Build();

    /// <summary>A recursive JSON payload, whose schema (with a $ref to itself) the server must accept and publish.</summary>
    public static ServiceDefinition Trees() => ServiceDefinition.ForService("Trees")
        .Handler("count", (Context ctx, TreeNode tree) => Task.FromResult(CountNodes(tree)), Serde.Json(TestJson.Default.TreeNode), Serde.Int32)
        .Build();

    private static int CountNodes(TreeNode tree) => 1 + tree.Children.Sum(CountNodes);

    /// <summary>Every manifest option, to prove the server accepts the fields and applies them.</summary>
    public static ServiceDefinition Configured() => ServiceDefinition.ForVirtualObject("Configured", new HandlerOptions
    {
        Documentation = "A service with every option set",
        Metadata = new Dictionary<string, string> { ["team"] = "holiday" },
        InactivityTimeout = TimeSpan.FromSeconds(30),
        AbortTimeout = TimeSpan.FromMinutes(2),
        JournalRetention = TimeSpan.FromHours(2),
        IdempotencyRetention = TimeSpan.FromHours(3),
        EnableLazyState = true,
        RetryInitialInterval = TimeSpan.FromMilliseconds(100),
        RetryMaxInterval = TimeSpan.FromSeconds(5),
        RetryMaxAttempts = 7,
        RetryExponentiationFactor = 1.5,
        RetryOnMaxAttempts = OnMaxAttempts.Kill,
    })
        .Handler("fail", (ObjectContext ctx, string reason) =>
            Task.FromException(new TerminalException(reason, 409, new Dictionary<string, string> { ["reason-code"] = "R42" })), Serde.String)
        .Handler("failWith", (ObjectContext ctx, int code) =>
            Task.FromException(new TerminalException($"the handler failed with {code}", (ushort)code)), Serde.Int32)
        .SharedHandler("internal", (SharedObjectContext ctx) => Task.FromResult(ctx.Key), Serde.String,
            new HandlerOptions { IngressPrivate = true, Documentation = "Only other handlers may call this" })
        .Build();

    /// <summary>For the crash test: one run, a wait the test controls, another run.</summary>
    public static ServiceDefinition KillTest(SideEffectLog log) => ServiceDefinition.ForService("KillTest")
        .Handler("run", async (Context ctx, string key) =>
        {
            await ctx.RunAsync("step1", _ =>
            {
                log.Record($"step1:{key}");
                return Task.CompletedTask;
            });
            var gate = ctx.Awakeable(Serde.String);
            ctx.Send(Target.ForObject("Mailbox", key, "put"), gate.Id, Serde.String);
            var value = await gate.Value;
            await ctx.RunAsync("step2", _ =>
            {
                log.Record($"step2:{key}");
                return Task.CompletedTask;
            });
            return $"done:{value}";
        }, Serde.String, Serde.String)
        .Build();

    /// <summary>
    /// What a handler holds across an await is released when its attempt ends, however it ends: the lock, the
    /// <c>using</c> scope and the attempt's token, once per attempt. Also: blocking on a future instead of awaiting it.
    /// </summary>
    public static ServiceDefinition Unwinding(SideEffectLog log) => ServiceDefinition.ForService("Unwinding")
        .Handler("holdLock", async (Context ctx, string tag) =>
        {
            // A lock an earlier attempt never released would block here: give up with a clear failure instead of hanging.
            if (!await Lock.WaitAsync(TimeSpan.FromSeconds(20)))
            {
                throw new TerminalException($"{tag}: the lock is still held by an attempt that never unwound", 423);
            }
            try
            {
                await ctx.SleepAsync(TimeSpan.FromMilliseconds(1), "inside the lock");
                return await ctx.RunAsync("work", _ => Task.FromResult($"{tag} done"), Serde.String);
            }
            finally
            {
                Lock.Release();
            }
        }, Serde.String, Serde.String)
        .Handler("countScopes", async (Context ctx) =>
        {
            var id = ctx.InvocationId;
            log.Record($"enter:{id}");
            using var ended = ctx.AttemptEnded.Register(() => log.Record($"token:{id}"));
            using (new RecordedScope(log, $"dispose:{id}"))
            {
                await ctx.SleepAsync(TimeSpan.FromMilliseconds(1), "first");
                await ctx.RunAsync("step", _ => Task.CompletedTask);
                await ctx.SleepAsync(TimeSpan.FromMilliseconds(1), "second");
            }
            return log.Count($"enter:{id}");
        }, Serde.Int32)
        .Handler("blockOnRun", (Context ctx) =>
        {
            try
            {
                // What RESTATE105 warns about: blocking instead of awaiting.
                var value = ctx.RunAsync("value", _ => Task.FromResult("42"), Serde.String).GetAwaiter().GetResult();
                return Task.FromResult($"value is '{value}'");
            }
            catch (InvalidOperationException e)
            {
                return Task.FromResult($"refused: {e.Message}");
            }
        }, Serde.String)
        .Build();

    private sealed class RecordedScope(SideEffectLog log, string entry) : IDisposable
    {
        public void Dispose() => log.Record(entry);
    }

    /// <summary>Describes <see cref="Context.Request"/> as a string: target, raw body, a header, idempotency key, retries.</summary>
    private static string Describe(Context ctx)
    {
        var request = ctx.Request;
        var header = request.Headers.TryGetValue("x-test", out var value) ? value : "-";
        return $"target={request.Target} key={request.Target.Key ?? "-"} body={System.Text.Encoding.UTF8.GetString(request.Body.Span)} " +
            $"x-test={header} idempotency-key={request.IdempotencyKey ?? "-"} retries={request.RetryCountSinceLastStoredEntry} id-matches={request.InvocationId == ctx.InvocationId} " +
            $"attempt-content-type={request.AttemptHeaders.GetValueOrDefault("content-type", "-")}";
    }

    public static ServiceDefinition Introspection() => ServiceDefinition.ForService("Introspection")
        .Handler("describe", (Context ctx, string input) => Task.FromResult(Describe(ctx)), Serde.String, Serde.String)
        .Build();

    public static ServiceDefinition IntrospectionObject() => ServiceDefinition.ForVirtualObject("IntrospectionObject")
        .SharedHandler("describe", (SharedObjectContext ctx) => Task.FromResult(Describe(ctx)), Serde.String)
        .Build();

    private static readonly StateKey<int?> Visits = new("visits");
    private static readonly StateKey<CallRequest> LastRequest = new("lastRequest");

    /// <summary>
    /// No serde anywhere: handler input and output, state (a record and an <c>int?</c> that tells absent from 0), a run's
    /// result and a call all find theirs in the service's JSON context or the built-ins.
    /// </summary>
    public static ServiceDefinition Inferred() => ServiceDefinition.ForVirtualObject("Inferred")
        .WithJsonContext(TestJson.Default)
        .Handler("visit", async (ObjectContext ctx, CallRequest request) =>
        {
            var before = await ctx.GetAsync(Visits);
            ctx.Set(Visits, (before ?? 0) + 1);
            ctx.Set(LastRequest, request);
            var echoed = await ctx.RunAsync("echo", _ => Task.FromResult(request with { Value = request.Value * 2 }));
            var added = await ctx.CallAsync<long, AddResult>(Target.ForObject("Counter", ctx.Key, "add"), echoed.Value);
            return new AddResult(before ?? -1, added.NewValue);
        })
        .Handler("setVisits", (ObjectContext ctx, int? visits) =>
        {
            ctx.Set(Visits, visits);
            return Task.CompletedTask;
        })
        .SharedHandler("visits", async (SharedObjectContext ctx) => await ctx.GetAsync(Visits))
        .SharedHandler("lastRequest", async (SharedObjectContext ctx) => await ctx.GetAsync(LastRequest))
        .Build();

    /// <summary>Serdes from the endpoint's JSON context only: the service registers none.</summary>
    public static ServiceDefinition InferredAtEndpoint() => ServiceDefinition.ForService("InferredAtEndpoint")
        .Handler("awaitSignup", async (Context ctx, string mailbox) =>
        {
            var awakeable = ctx.Awakeable<SignupResult>();
            ctx.Send(Target.ForObject("Mailbox", mailbox, "put"), awakeable.Id);
            var result = await awakeable.Value;
            return $"{result.Email}:{result.Status}";
        })
        .Handler("resolveSignup", (Context ctx, string id) =>
        {
            ctx.ResolveAwakeable(id, new SignupResult("ada@example.com", "confirmed"));
            return Task.CompletedTask;
        })
        .Build();

    /// <summary>The service <see cref="RecordingInterceptor"/> records: a run, a timer, and a lookup that can fail.</summary>
    public static ServiceDefinition Intercepted() => ServiceDefinition.ForService(RecordingInterceptor.Service)
        .Handler("find", async (Context ctx, string name) =>
        {
            var found = await ctx.RunAsync("lookup", _ => Task.FromResult(name == "ada"));
            await ctx.SleepAsync(TimeSpan.FromMilliseconds(1));
            return found ? "found ada" : throw new KeyNotFoundException(name);
        })
        .Build();

    /// <summary>A FormatException is terminal at this endpoint (MapExceptionToTerminal): from the handler and from a run.</summary>
    public static ServiceDefinition Mapped(SideEffectLog log) => ServiceDefinition.ForService("Mapped")
        .Handler("parse", (Context ctx, string text) => Task.FromResult(int.Parse(text, System.Globalization.CultureInfo.InvariantCulture)))
        .Handler("parseInRun", async (Context ctx, string text) => await ctx.RunAsync("parse", _ =>
        {
            log.Record($"parse:{ctx.InvocationId}");
            return Task.FromResult(int.Parse(text, System.Globalization.CultureInfo.InvariantCulture));
        }))
        .Build();
}

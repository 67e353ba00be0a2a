namespace Restate.Sdk.Testing.Tests;

public sealed class FakeContextTests
{
    // Verbatim from the "Unit tests without a server" section of src/Restate.Sdk.Testing/README.md.
    [Fact]
    public async Task ReadmeExample_Compiles_AndHolds()
    {
        var ctx = FakeContext.ForObject("ada", options => options
            .SetState(Shop.Orders, 3L)
            .RespondTo<string, string>("Greeter", "greet", name => $"Hi {name}"));

        var result = await ctx.InvokeAsync(c => Shop.CheckoutAsync(c, 42));

        Assert.Equal("Hi ada: order 4 paid with ch_42", result);
        Assert.Equal(4, ctx.GetState(Shop.Orders));
        Assert.Equal("Greeter/greet", ctx.Calls[0].Target);
        Assert.Equal("ada", ctx.Calls[0].Request<string>());
        Assert.Equal(TimeSpan.FromMinutes(5), ctx.Sleeps[0].Duration);
        Assert.Equal(1, ctx.Runs[0].Executions);
    }

    [Fact]
    public void ReadmeExample_IsTheReadmeBlockLineForLine()
    {
        var root = RepositoryRoot();
        var readme = File.ReadAllText(Path.Combine(root, "src", "Restate.Sdk.Testing", "README.md"));
        const string heading = "## Unit tests without a server: `FakeContext`\n\n```csharp\n";
        var start = readme.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(start >= 0, "the Testing README has no 'Unit tests without a server' C# block");
        start += heading.Length;
        var block = readme[start..readme.IndexOf("```\n", start, StringComparison.Ordinal)];
        var indented = string.Concat(block.Split('\n').SkipLast(1).Select(line => line.Length == 0 ? "\n" : $"        {line}\n"));

        Assert.Contains(indented, File.ReadAllText(Path.Combine(root, "tests", "Restate.Sdk.Testing.Tests", "FakeContextTests.cs")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_CheckoutWithStateRunSleepCallAndSend_ReturnsValueFromAllAndRecordsEach()
    {
        var ctx = FakeContext.ForObject("ada", options => options
            .SetState(Shop.Orders, 3L)
            .RespondTo<string, string>("Greeter", "greet", name => $"Hi {name}"));

        var result = await ctx.InvokeAsync(c => Shop.CheckoutAsync(c, 42));

        Assert.Equal("Hi ada: order 4 paid with ch_42", result);
        var call = Assert.Single(ctx.Calls);
        Assert.Equal(("Greeter", "greet", null), (call.Service, call.Handler, call.Key));
        Assert.Equal("ada", call.Request<string>());
        Assert.Equal(4, ctx.GetState(Shop.Orders));
        Assert.Equal("ch_42", ctx.GetState(Shop.LastReceipt));
        var sleep = Assert.Single(ctx.Sleeps);
        Assert.Equal(("cool-off", TimeSpan.FromMinutes(5)), (sleep.Name, sleep.Duration));
        var run = Assert.Single(ctx.Runs);
        Assert.Equal(("charge", 1, "ch_42"), (run.Name, run.Executions, run.Result<string>()));
        var send = Assert.Single(ctx.Sends);
        Assert.Equal(("Shop/ada/forget", TimeSpan.FromDays(1), "forget-4"), (send.Target, send.Delay, send.IdempotencyKey));
    }

    [Fact]
    public async Task InvokeAsync_LimitKeyWithoutScope_ThrowsArgumentExceptionAtTheSend()
    {
        var ctx = FakeContext.ForService();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => ctx.InvokeAsync(c =>
        {
            c.ServiceClient<GreeterClient>().Send(new SendOptions { LimitKey = "tenant1" }).Ping();
            return Task.CompletedTask;
        }));

        Assert.Equal("options", error.ParamName);
        Assert.Contains("has no scope", error.Message, StringComparison.Ordinal);
        Assert.Empty(ctx.Sends);
    }

    [Fact]
    public async Task InvokeAsync_TwoInvocations_StateCarriesOver()
    {
        var ctx = FakeContext.ForObject("ada", options => options.RespondTo("Greeter", "greet", "Hi"));

        await ctx.InvokeAsync(c => Shop.CheckoutAsync(c, 1));
        var second = await ctx.InvokeAsync(c => Shop.CheckoutAsync(c, 2));
        await ctx.InvokeAsync(Shop.ForgetAsync);

        Assert.Equal("Hi: order 2 paid with ch_2", second);
        Assert.Empty(ctx.State);
        Assert.Equal(2, ctx.Calls.Count);
    }

    [Fact]
    public async Task InvokeAsync_HandlerReplays_RunClosureExecutesOnceAndSleepMovesTheClock()
    {
        var executions = 0;
        var handlerStarts = 0;
        var ctx = FakeContext.ForService(options => options.Now = new DateTimeOffset(2030, 5, 1, 12, 0, 0, TimeSpan.Zero));

        var (before, after) = await ctx.InvokeAsync(async c =>
        {
            handlerStarts++;
            await c.RunAsync("side-effect", _ =>
            {
                executions++;
                return Task.CompletedTask;
            });
            var before = await c.NowAsync();
            await c.SleepAsync(TimeSpan.FromHours(2));
            return (before, await c.NowAsync());
        });

        Assert.Equal(1, executions);
        Assert.True(handlerStarts > 1, "each answer is delivered through a replay, as in request/response mode");
        Assert.Equal(new DateTimeOffset(2030, 5, 1, 12, 0, 0, TimeSpan.Zero), before);
        Assert.Equal(before + TimeSpan.FromHours(2), after);
        Assert.Equal(after, ctx.Now);
        Assert.Equal(["side-effect", "now", "now"], ctx.Runs.Select(r => r.Name));
    }

    [Fact]
    public async Task InvokeAsync_RunThrowsTerminalException_HandlerSeesItAndTheRunIsNotRetried()
    {
        var ctx = FakeContext.ForObject("ada", options => options.FailRun("charge", new TerminalException("card declined", 402)));

        var failure = await Assert.ThrowsAsync<TerminalException>(() => ctx.InvokeAsync(c => Shop.CheckoutAsync(c, 42)));

        Assert.Equal((402, "card declined"), (failure.Code, failure.Message));
        var run = Assert.Single(ctx.Runs);
        Assert.Equal(1, run.Executions);
        Assert.Equal((ushort?)402, run.Failure?.Code);
        Assert.Empty(ctx.Calls);
        Assert.Empty(ctx.State);
    }

    [Fact]
    public async Task InvokeAsync_RunWithMaxAttemptsThatKeepsFailing_FailsTerminallyAfterThatManyExecutions()
    {
        var executions = 0;
        var ctx = FakeContext.ForService();

        var message = await ctx.InvokeAsync(async c =>
        {
            try
            {
                await c.RunAsync("flaky", _ =>
                {
                    executions++;
                    throw new HttpRequestException("connection refused");
                }, new RunOptions { RetryPolicy = RetryPolicy.FixedDelay(TimeSpan.FromSeconds(1)) with { MaxAttempts = 3 } });
                return "ran";
            }
            catch (TerminalException e)
            {
                return e.Message;
            }
        });

        Assert.Equal(3, executions);
        Assert.Equal(3, Assert.Single(ctx.Runs).Executions);
        Assert.Contains("Run 'flaky' failed after 3 attempt(s)", message, StringComparison.Ordinal);
        Assert.Contains("connection refused", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_RunWithInfiniteRetriesThatKeepsFailing_ThrowsItsExceptionAfterMaxAttempts()
    {
        var ctx = FakeContext.ForService(options => options.MaxAttempts = 4);

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => ctx.InvokeAsync(async c =>
            await c.RunAsync<int>("flaky", _ => throw new HttpRequestException("connection refused"))));

        Assert.Equal("connection refused", failure.Message);
        Assert.Equal(4, Assert.Single(ctx.Runs).Executions);
    }

    [Fact]
    public async Task InvokeAsync_HandlerThrowsARetryableException_IsRetriedThenThrowsIt()
    {
        var attempts = 0;
        var ctx = FakeContext.ForService(options => options.MaxAttempts = 3);

        await Assert.ThrowsAsync<ArgumentException>(() => ctx.InvokeAsync(c =>
        {
            attempts++;
            throw new ArgumentException("bad input");
        }));

        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task InvokeAsync_ReplacedRun_ClosureIsNotExecutedAndTheScriptedResultIsJournaled()
    {
        var executed = false;
        var ctx = FakeContext.ForService(options => options.ReplaceRun("lookup", 7));

        var result = await ctx.InvokeAsync(async c => await c.RunAsync("lookup", _ =>
        {
            executed = true;
            return Task.FromResult(1);
        }) * 6);

        Assert.Equal(42, result);
        Assert.False(executed);
        Assert.Equal(0, Assert.Single(ctx.Runs).Executions);
    }

    [Fact]
    public async Task InvokeAsync_UnscriptedCall_ThrowsNamingTheTargetAndHowToScriptIt()
    {
        var ctx = FakeContext.ForObject("ada");

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ctx.InvokeAsync(c => Shop.CheckoutAsync(c, 42)));

        Assert.Contains("the call to Greeter/greet", failure.Message, StringComparison.Ordinal);
        Assert.Contains("RespondTo(\"Greeter\", \"greet\"", failure.Message, StringComparison.Ordinal);
        Assert.Single(ctx.Calls);
    }

    [Fact]
    public async Task InvokeAsync_CallScriptedToFail_SurfacesTheTerminalExceptionAtTheCall()
    {
        var ctx = FakeContext.ForObject("ada", options => options
            .RespondTo<string, string>("Greeter", "greet", _ => throw new TerminalException("no such customer", 404)));

        var failure = await Assert.ThrowsAsync<TerminalException>(() => ctx.InvokeAsync(c => Shop.CheckoutAsync(c, 42)));

        Assert.Equal((404, "no such customer"), (failure.Code, failure.Message));
        Assert.Null(ctx.GetState(Shop.LastReceipt));
    }

    [Fact]
    public async Task InvokeAsync_CallScriptedForOneKey_AnswersThatKeyAndFallsBackForOthers()
    {
        var ctx = FakeContext.ForService(options => options
            .RespondTo("Shop", "checkout", "for anyone")
            .RespondTo("Shop", "checkout", "for ada", key: "ada"));

        var answers = await ctx.InvokeAsync(async c =>
            (await c.ObjectClient<ShopClient>("ada").CheckoutAsync(1), await c.ObjectClient<ShopClient>("bob").CheckoutAsync(1)));

        Assert.Equal(("for ada", "for anyone"), answers);
        Assert.Equal(["Shop/ada/checkout", "Shop/bob/checkout"], ctx.Calls.Select(c => c.Target));
    }

    [Fact]
    public async Task InvokeAsync_VoidHandlerCall_CompletesWhenScripted()
    {
        var ctx = FakeContext.ForService(options => options.CompleteCalls("Greeter", "ping"));

        await ctx.InvokeAsync(async c => await c.ServiceClient<GreeterClient>().PingAsync());

        Assert.Equal("Greeter/ping", Assert.Single(ctx.Calls).Target);
    }

    [Fact]
    public async Task InvokeAsync_Awakeables_ResolvedAndRejectedInCreationOrder()
    {
        var ctx = FakeContext.ForService(options => options.ResolveAwakeable("approved").RejectAwakeable("timed out", 408));

        var (first, second) = await ctx.InvokeAsync(async c =>
        {
            var approval = c.Awakeable<string>();
            var other = c.Awakeable<string>();
            var value = await approval.Value;
            try
            {
                return (value, await other.Value);
            }
            catch (TerminalException e)
            {
                return (value, $"{e.Code} {e.Message}");
            }
        });

        Assert.Equal(("approved", "408 timed out"), (first, second));
    }

    [Fact]
    public async Task InvokeAsync_AwakeableAndSignalTheHandlerCompletesItself_AreDeliveredAsTheRuntimeWould()
    {
        var ctx = FakeContext.ForService();

        var (awakeable, signal) = await ctx.InvokeAsync(async c =>
        {
            var approval = c.Awakeable<string>();
            c.ResolveAwakeable(approval.Id, "self-approved");
            c.ResolveSignal(c.InvocationId, "go", 3);
            return (await approval.Value, await c.Signal<int>("go"));
        });

        Assert.Equal(("self-approved", 3), (awakeable, signal));
    }

    [Fact]
    public async Task InvokeAsync_UnresolvedAwakeable_ThrowsInsteadOfWaitingForever()
    {
        var ctx = FakeContext.ForService();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ctx.InvokeAsync(async c => await c.Awakeable<string>().Value));

        Assert.Contains("awakeable #1", failure.Message, StringComparison.Ordinal);
        Assert.Contains("ResolveAwakeable(value)", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_WorkflowPromises_ScriptedOnesResolveAndOwnCompletionsAreReadBack()
    {
        var ctx = FakeContext.ForWorkflow("signup-1", options => options.ResolvePromise("email-verified", true));

        var (verified, peeked, own) = await ctx.InvokeAsync(async c =>
        {
            var verified = await c.Promise<bool>("email-verified").GetAsync();
            var peeked = await c.Promise<string>("welcome").PeekAsync();
            await c.Promise<string>("welcome").ResolveAsync("sent");
            return (verified, peeked.IsCompleted, await c.Promise<string>("welcome").GetAsync());
        });

        Assert.True(verified);
        Assert.False(peeked);
        Assert.Equal("sent", own);
    }

    [Fact]
    public async Task InvokeAsync_UnresolvedPromise_ThrowsNamingItAndHowToScriptIt()
    {
        var ctx = FakeContext.ForWorkflow("signup-1");

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ctx.InvokeAsync(async c => await c.Promise<bool>("email-verified").GetAsync()));

        Assert.Contains("promise 'email-verified'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("ResolvePromise(\"email-verified\", value)", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_NamedSignal_IsDeliveredWhenScripted()
    {
        var ctx = FakeContext.ForService(options => options.ResolveSignal("go", 5));

        Assert.Equal(10, await ctx.InvokeAsync(async c => await c.Signal<int>("go") * 2));
    }

    [Fact]
    public async Task InvokeAsync_Random_IsTheSameForTheSameSeedAndDiffersForAnother()
    {
        static Task<long> Draw(FakeContext<Context> ctx) => ctx.InvokeAsync(c => Task.FromResult(c.Random.NextInt64()));

        var first = await Draw(FakeContext.ForService(options => options.RandomSeed = 7));
        var again = await Draw(FakeContext.ForService(options => options.RandomSeed = 7));
        var other = await Draw(FakeContext.ForService(options => options.RandomSeed = 8));

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public async Task InvokeAsync_HandlerThatDoesNotReplayDeterministically_ThrowsAsTheRealEngineWould()
    {
        var ctx = FakeContext.ForService();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ctx.InvokeAsync(async c =>
        {
            await c.RunAsync($"step-{Guid.NewGuid()}", _ => Task.CompletedTask);
            await c.SleepAsync(TimeSpan.FromSeconds(1));
            return 0;
        }));

        Assert.Contains("not deterministic", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Journal mismatch", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_ContextAndHeaders_AreTheRealOnes()
    {
        var ctx = FakeContext.ForSharedObject("ada", options =>
        {
            options.Headers["x-tenant"] = "acme";
            options.SetState("name", "Ada Lovelace");
        });

        var (key, tenant, name, keys) = await ctx.InvokeAsync(async c =>
            (c.Key, c.Headers["X-Tenant"], await c.GetAsync(new StateKey<string>("name")), await c.StateKeysAsync()));

        Assert.Equal(("ada", "acme", "Ada Lovelace"), (key, tenant, name));
        Assert.Equal(["name"], keys);
    }

    [Fact]
    public async Task InvokeAsync_RecordPayloads_AreSerializedThroughTheOptionsJsonContext()
    {
        var ctx = FakeContext.ForObject("b", options => options
            .UseJsonContext(KitJson.Default)
            .SetState(KitCounter.Home, new Address("Main St 1", "Zürich")));

        await ctx.InvokeAsync(c => KitCounter.MoveAsync(c, new Address("Elm 2", "Bern")));
        var total = await ctx.InvokeAsync(c => KitCounter.AddAsync(c, 5));

        Assert.Equal(new Address("Elm 2", "Bern"), ctx.GetState(KitCounter.Home));
        Assert.Equal([0x00, 0xff, 0x10, 0x80], ctx.GetState(KitCounter.Blob));
        Assert.Equal((5, 5L), (total, ctx.GetState(KitCounter.Count)));
    }

    [Fact]
    public async Task InvokeAsync_RecordPayloadWithoutJsonContext_FailsWithTheSerdeMessage()
    {
        var ctx = FakeContext.ForObject("b", options => options.MaxAttempts = 1);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ctx.InvokeAsync(c => KitCounter.MoveAsync(c, new Address("Elm 2", "Bern"))));

        Assert.Contains("No serializer for Address", failure.Message, StringComparison.Ordinal);
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

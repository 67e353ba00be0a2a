using System.Net;
using System.Text.Json.Nodes;

namespace Restate.Sdk.IntegrationTests;

/// <summary>
/// Every SDK feature end to end through the real restate-server's ingress. The same tests run once per server
/// configuration (the derived classes at the bottom), so each feature is proven in bidi streaming,
/// request/response, always-suspending, lazy-state and request-signing setups.
/// </summary>
public abstract class SdkFeatureTests(SdkFixture fixture)
{
    private static string NewKey() => Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Greet_RunThenSleep_ReturnsResultAndRunsSideEffectOnce()
    {
        var response = await fixture.PostAsync("/Greeter/greet", "\"Ada\"");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("\"Hello Ada!\"", response.Body);
        Assert.Equal(1, fixture.SideEffects.Count($"greet:{response.InvocationId}"));
    }

    [Fact]
    public async Task CounterAdd_CalledTwice_KeepsStateBetweenInvocations()
    {
        var key = NewKey();

        var first = await fixture.PostAsync($"/Counter/{key}/add", "5");
        var second = await fixture.PostAsync($"/Counter/{key}/add", "7");
        var total = await fixture.PostAsync($"/Counter/{key}/get");

        Assert.Equal("{\"oldValue\":0,\"newValue\":5}", first.Body);
        Assert.Equal("{\"oldValue\":5,\"newValue\":12}", second.Body);
        Assert.Equal("12", total.Body);
    }

    [Fact]
    public async Task StateKeys_AfterSetClearAndClearAll_ReflectEachWrite()
    {
        var key = NewKey();
        await fixture.PostAsync($"/Counter/{key}/setText", "\"hi\"");
        await fixture.PostAsync($"/Counter/{key}/add", "1");
        var both = await fixture.PostAsync($"/Counter/{key}/keys");

        await fixture.PostAsync($"/Counter/{key}/clearText");
        var one = await fixture.PostAsync($"/Counter/{key}/keys");

        await fixture.PostAsync($"/Counter/{key}/reset");
        var none = await fixture.PostAsync($"/Counter/{key}/keys");
        var count = await fixture.PostAsync($"/Counter/{key}/get");

        Assert.Equal("[\"count\",\"text\"]", both.Body);
        Assert.Equal("[\"count\"]", one.Body);
        Assert.Equal("[]", none.Body);
        Assert.Equal("0", count.Body);
    }

    [Fact]
    public async Task AddThenFail_TerminalException_ReturnsItsCodeAndKeepsTheStateWrite()
    {
        var key = NewKey();

        var response = await fixture.PostAsync($"/Counter/{key}/addThenFail", "3");
        var count = await fixture.PostAsync($"/Counter/{key}/get");

        Assert.Equal((HttpStatusCode)422, response.Status);
        Assert.Equal($"addThenFail {key}", response.Json["message"]!.GetValue<string>());
        Assert.Equal("3", count.Body);
    }

    [Fact]
    public async Task Run_FailsTwiceThenSucceeds_RetriesUntilSuccess()
    {
        var response = await fixture.PostAsync("/Sequencer/flaky", "2");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("3", response.Body);
        Assert.Equal(3, fixture.SideEffects.Count($"flaky:{response.InvocationId}"));
    }

    [Fact]
    public async Task Run_RetryPolicyExhausted_BecomesJournaledTerminalFailure()
    {
        var response = await fixture.PostAsync("/Sequencer/exhaust", "3");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var message = response.Json.GetValue<string>();
        Assert.StartsWith("gave up: Run 'always-fails' failed after 3 attempt(s):", message, StringComparison.Ordinal);
        Assert.Contains("boom", message, StringComparison.Ordinal);
        Assert.Equal(3, fixture.SideEffects.Count($"exhaust:{response.InvocationId}"));
    }

    [Fact]
    public async Task Run_ThrowsTerminalException_FailsInvocationWithItsCode()
    {
        var response = await fixture.PostAsync("/Sequencer/terminalRun");

        Assert.Equal((HttpStatusCode)418, response.Status);
        Assert.Equal("no way", response.Json["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Handler_ThrowsAfterCompletedRun_IsRetriedWithoutRepeatingTheRun()
    {
        var response = await fixture.PostAsync("/Sequencer/failAfterRun", "2");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("1", response.Body);
        Assert.Equal(3, fixture.SideEffects.Count($"handler-attempt:{response.InvocationId}"));
    }

    [Fact]
    public async Task Call_ToVirtualObject_ReturnsCalleeResponse()
    {
        var key = NewKey();

        var response = await fixture.PostAsync("/Caller/callCounter", $$"""{"key":"{{key}}","value":4}""");

        Assert.Equal("{\"oldValue\":0,\"newValue\":4}", response.Body);
    }

    [Fact]
    public async Task Call_SameIdempotencyKeyTwice_CalleeRunsOnce()
    {
        var key = NewKey();
        var body = $$"""{"key":"{{key}}","value":5,"idempotencyKey":"once-{{key}}"}""";

        var first = await fixture.PostAsync("/Caller/callCounter", body);
        var second = await fixture.PostAsync("/Caller/callCounter", body);
        var total = await fixture.PostAsync($"/Counter/{key}/get");

        Assert.Equal(first.Body, second.Body);
        Assert.Equal("5", total.Body);
    }

    [Fact]
    public async Task Send_WithDelay_RunsCalleeLaterAndReturnsItsInvocationId()
    {
        var key = NewKey();

        var response = await fixture.PostAsync("/Caller/sendCounter", $$"""{"key":"{{key}}","value":9,"delayMillis":300}""");
        var calleeId = response.Json.GetValue<string>();
        var calleeResult = await fixture.AttachAsync(calleeId);

        Assert.StartsWith("inv_", calleeId, StringComparison.Ordinal);
        Assert.Equal("{\"oldValue\":0,\"newValue\":9}", calleeResult.Body);
    }

    [Fact]
    public async Task AttachAndOutput_FromHandler_ReadAnotherInvocationsResult()
    {
        var key = NewKey();
        var calleeId = (await fixture.PostAsync("/Caller/sendCounter", $$"""{"key":"{{key}}","value":2}""")).Json.GetValue<string>();

        var attached = await fixture.PostAsync("/Caller/attach", $"\"{calleeId}\"");
        var output = await fixture.PostAsync("/Caller/output", $"\"{calleeId}\"");

        Assert.Equal("{\"oldValue\":0,\"newValue\":2}", attached.Body);
        Assert.Equal("\"ready:2\"", output.Body);
    }

    [Fact]
    public async Task Headers_FromIngressAndFromCall_ReachTheHandler()
    {
        var fromIngress = await fixture.PostAsync("/Caller/echoHeaders", headers: new Dictionary<string, string> { ["x-test"] = "abc" });
        var fromCall = await fixture.PostAsync("/Caller/callWithHeaders");

        Assert.Equal("abc", fromIngress.Json["x-test"]!.GetValue<string>());
        Assert.Equal("yes", fromCall.Json["x-from-caller"]!.GetValue<string>());
    }

    [Fact]
    public async Task Awakeable_ResolvedThroughIngress_ResumesTheHandler()
    {
        var mailbox = NewKey();
        var invocationId = await fixture.SendAsync("/Awaiter/wait", $"\"{mailbox}\"");
        var awakeableId = await fixture.WaitForMailboxAsync(mailbox);

        var resolve = await fixture.PostAsync($"/restate/awakeables/{awakeableId}/resolve", "\"from outside\"");
        var result = await fixture.AttachAsync(invocationId);

        Assert.StartsWith("sign_1", awakeableId, StringComparison.Ordinal);
        Assert.True(resolve.Status is HttpStatusCode.OK or HttpStatusCode.Accepted, $"resolve answered {resolve.Status}: {resolve.Body}");
        Assert.Equal("\"resolved:from outside\"", result.Body);
    }

    [Fact]
    public async Task Awakeable_ResolvedAndRejectedByHandlers_ResumesWithValueOrTerminalFailure()
    {
        var resolvedBox = NewKey();
        var rejectedBox = NewKey();
        var resolvedId = await fixture.SendAsync("/Awaiter/wait", $"\"{resolvedBox}\"");
        var rejectedId = await fixture.SendAsync("/Awaiter/wait", $"\"{rejectedBox}\"");

        await fixture.PostAsync("/Awaiter/resolve", $"\"{await fixture.WaitForMailboxAsync(resolvedBox)}|inside\"");
        await fixture.PostAsync("/Awaiter/reject", $"\"{await fixture.WaitForMailboxAsync(rejectedBox)}\"");

        Assert.Equal("\"resolved:inside\"", (await fixture.AttachAsync(resolvedId)).Body);
        Assert.Equal("\"rejected:451:nope\"", (await fixture.AttachAsync(rejectedId)).Body);
    }

    [Theory]
    [InlineData("resolve", "sign_1garbage|value")]
    [InlineData("reject", "not-an-awakeable")]
    public async Task Awakeable_CompletedByAHandlerWithAMalformedId_FailsWith400InsteadOfRetrying(string handler, string input)
    {
        // restate-server cannot decode such an id and would fail the journal entry on every retry; the SDK refuses it first.
        var answer = await fixture.PostAsync($"/Awaiter/{handler}", $"\"{input}\"");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains("is not an awakeable id", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Workflow_PromiseResolvedBySharedHandler_CompletesRunOnce()
    {
        var id = NewKey();
        var start = await fixture.PostAsync($"/Signup/{id}/run/send", "\"ada@example.com\"");
        Assert.Equal(HttpStatusCode.Accepted, start.Status);
        await WaitUntilAsync(async () => (await fixture.PostAsync($"/Signup/{id}/status")).Body == "\"waiting\"");

        var pending = await fixture.PostAsync($"/Signup/{id}/peek");
        var accepted = await fixture.PostAsync($"/Signup/{id}/confirm", "\"s1\"");
        var refused = await fixture.PostAsync($"/Signup/{id}/confirm", "\"s2\"");
        var result = await fixture.GetAsync($"/restate/workflow/Signup/{id}/attach");
        var completed = await fixture.PostAsync($"/Signup/{id}/peek");

        Assert.Equal("\"pending\"", pending.Body);
        Assert.Equal("\"accepted\"", accepted.Body);
        Assert.Equal("\"refused:409\"", refused.Body);
        Assert.Equal("{\"email\":\"ada@example.com\",\"status\":\"s1\"}", result.Body);
        Assert.Equal("\"completed:s1\"", completed.Body);
    }

    [Fact]
    public async Task Workflow_PromiseRejected_RunFailsWithTheReason()
    {
        var id = NewKey();
        await fixture.PostAsync($"/Signup/{id}/run/send", "\"bo@example.com\"");
        await WaitUntilAsync(async () => (await fixture.PostAsync($"/Signup/{id}/status")).Body == "\"waiting\"");

        var declined = await fixture.PostAsync($"/Signup/{id}/decline", "\"no thanks\"");
        var result = await fixture.GetAsync($"/restate/workflow/Signup/{id}/attach");

        Assert.Equal("\"declined\"", declined.Body);
        Assert.Equal(HttpStatusCode.InternalServerError, result.Status);
        Assert.Equal("no thanks", result.Json["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("hello", "\"signal:hello\"")]
    [InlineData("!stop", "\"rejected:stop\"")]
    public async Task NamedSignal_SentByAnotherHandler_ResumesTheWaiter(string value, string expected)
    {
        var mailbox = NewKey();
        var waiterId = await fixture.SendAsync("/Signals/wait", $"\"{mailbox}\"");
        await fixture.WaitForMailboxAsync(mailbox);

        await fixture.PostAsync("/Signals/send", $"\"{waiterId}|{value}\"");
        var result = await fixture.AttachAsync(waiterId);

        Assert.Equal(expected, result.Body);
    }

    [Theory]
    [InlineData("raceSleepVsAwakeable", "1")]
    [InlineData("allRuns", "\"p1,p2,p3\"")]
    [InlineData("timeout", "\"timed out\"")]
    [InlineData("anySucceeds", "\"second works\"")]
    [InlineData("allSettled", "\"good+bad\"")]
    [InlineData("concurrentBranches", "\"a,b\"")]
    public async Task Combinator_OverDurableFutures_ResolvesPerItsRule(string handler, string expected)
    {
        var response = await fixture.PostAsync($"/Combinators/{handler}");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(JsonNode.Parse(expected)!.ToJsonString(), response.Json.ToJsonString());
    }

    [Fact]
    public async Task AllRuns_AcrossSuspensions_EachRunExecutesOnce()
    {
        var response = await fixture.PostAsync("/Combinators/allRuns");

        foreach (var part in new[] { 1, 2, 3 })
        {
            Assert.Equal(1, fixture.SideEffects.Count($"part:{response.InvocationId}:{part}"));
        }
    }

    [Fact]
    public async Task RandomAndNow_SameIdempotencyKey_ReturnTheStoredResult()
    {
        var headers = new Dictionary<string, string> { ["idempotency-key"] = NewKey() };

        var first = await fixture.PostAsync("/Determinism/random", headers: headers);
        var second = await fixture.PostAsync("/Determinism/random", headers: headers);
        var other = await fixture.PostAsync("/Determinism/random");

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(first.Body, second.Body);
        Assert.NotEqual(first.Body, other.Body);
        Assert.Matches("^\"[0-9a-f-]{36}:[0-9]+:20[0-9]{2}\"$", first.Body);
    }

    [Fact]
    public async Task Context_UsedInsideRun_FailsTheRunWithAClearMessage()
    {
        var response = await fixture.PostAsync("/Determinism/useContextInsideRun");

        Assert.Contains("cannot be used inside a RunAsync closure", response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_ParentWithBlockedChildCall_CancelsBothWith409()
    {
        var mailbox = NewKey();
        var parentId = await fixture.SendAsync("/Blocker/callBlocker", $"\"{mailbox}\"");
        var childId = await fixture.WaitForMailboxAsync(mailbox);

        using var cancel = await fixture.Server.Admin.PatchAsync($"/invocations/{parentId}/cancel", null);
        var parent = await fixture.AttachAsync(parentId);
        var child = await fixture.AttachAsync(childId);

        Assert.True(cancel.IsSuccessStatusCode, $"cancel answered {cancel.StatusCode}");
        Assert.Equal(HttpStatusCode.Conflict, parent.Status);
        Assert.Equal(HttpStatusCode.Conflict, child.Status);
    }

    [Fact]
    public async Task CancelInvocation_FromHandler_FailsTheTargetWith409()
    {
        var mailbox = NewKey();
        var targetId = await fixture.SendAsync("/Blocker/block", $"\"{mailbox}\"");
        await fixture.WaitForMailboxAsync(mailbox);

        await fixture.PostAsync("/Blocker/cancel", $"\"{targetId}\"");
        var target = await fixture.AttachAsync(targetId);

        Assert.Equal(HttpStatusCode.Conflict, target.Status);
    }

    [Fact]
    public async Task Input_NotDeserializable_FailsTerminallyWith400NamingTheType()
    {
        var response = await fixture.PostAsync($"/Counter/{NewKey()}/add", "\"not a number\"");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains("Invalid input for Counter/add: cannot read it as Int64", response.Body, StringComparison.Ordinal);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    [Theory]
    [InlineData("run")]
    [InlineData("handler")]
    public async Task RetryableException_WithRetryAfter_IsRetriedWhenItAsks(string where)
    {
        var invocationId = await fixture.SendAsync("/Sequencer/rateLimited", $"\"{where}\"");
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            JsonNode? row;
            while ((row = (await fixture.Server.QueryAsync(
                $"select retry_count, next_retry_at, now() as now from sys_invocation where id = '{invocationId}'")).SingleOrDefault()) is null
                || row["next_retry_at"] is null || row["retry_count"]!.GetValue<long>() < 1)
            {
                await Task.Delay(20, timeout.Token);
            }

            var wait = DateTimeOffset.Parse(row["next_retry_at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
                - DateTimeOffset.Parse(row["now"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(wait, TimeSpan.FromMinutes(55), TimeSpan.FromMinutes(61));
        }
        finally
        {
            using var kill = await fixture.Server.Admin.PatchAsync(new Uri($"/invocations/{invocationId}/kill", UriKind.Relative), null);
        }
    }

    [Fact]
    public async Task Run_RetriesExhaustedUnderAPausePolicy_PausesTheInvocationInsteadOfFailingIt()
    {
        var invocationId = await fixture.SendAsync("/Sequencer/pauseWhenExhausted");
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            JsonNode? row;
            while ((row = (await fixture.Server.QueryAsync(
                $"select status from sys_invocation where id = '{invocationId}'")).SingleOrDefault()) is null
                || row["status"]!.GetValue<string>() != "paused")
            {
                await Task.Delay(20, timeout.Token);
            }

            // Two attempts, as the handler's policy says, and no journaled failure: resuming would run the closure again.
            Assert.Equal(2, fixture.SideEffects.Count($"pause:{invocationId}"));
            var entries = await fixture.Server.QueryAsync($"select entry_type from sys_journal where id = '{invocationId}' order by index");
            Assert.Equal(["Command: Input", "Command: Run"], entries.Select(e => e!["entry_type"]!.GetValue<string>()));

            // Resuming runs the closure again.
            using var resume = await fixture.Server.Admin.PatchAsync(new Uri($"/invocations/{invocationId}/resume", UriKind.Relative), null);
            Assert.True(resume.IsSuccessStatusCode, $"resume answered {(int)resume.StatusCode}");
            while (fixture.SideEffects.Count($"pause:{invocationId}") < 3)
            {
                await Task.Delay(20, timeout.Token);
            }
        }
        finally
        {
            using var kill = await fixture.Server.Admin.PatchAsync(new Uri($"/invocations/{invocationId}/kill", UriKind.Relative), null);
        }
    }

    [Fact]
    public async Task Request_OfAService_DescribesTargetRawBodyHeadersAndRetries()
    {
        var response = await fixture.PostAsync("/Introspection/describe", "\"zürich\"",
            new Dictionary<string, string> { ["x-test"] = "abc", ["idempotency-key"] = NewKey() });

        Assert.Equal(HttpStatusCode.OK, response.Status);
        // Protocol V5/V6 do not carry the idempotency key to the service (V7 does). The attempt's own headers are the
        // transport request's: its content type is the service protocol's.
        Assert.Matches("^target=Introspection/describe key=- body=\"zürich\" x-test=abc idempotency-key=- retries=0 id-matches=True " +
            "attempt-content-type=application/vnd\\.restate\\.invocation\\.v[56]$", JsonNode.Parse(response.Body)!.GetValue<string>());
    }

    [Fact]
    public async Task Request_OfAVirtualObject_HasItsKeyInTheTarget()
    {
        var key = NewKey();

        var response = await fixture.PostAsync($"/IntrospectionObject/{key}/describe");

        Assert.StartsWith($"target=IntrospectionObject/{key}/describe key={key} body= x-test=-", JsonNode.Parse(response.Body)!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SerdesFound_StateRunCallAndHandlerTypes_ComeFromTheServicesJsonContext()
    {
        var key = NewKey();

        var first = await fixture.PostAsync($"/Inferred/{key}/visit", """{"key":"k","value":21}""");
        var second = await fixture.PostAsync($"/Inferred/{key}/visit", """{"key":"k","value":1}""");
        var visits = await fixture.PostAsync($"/Inferred/{key}/visits");
        var last = await fixture.PostAsync($"/Inferred/{key}/lastRequest");

        Assert.Equal("""{"oldValue":-1,"newValue":42}""", first.Body);
        Assert.Equal("""{"oldValue":1,"newValue":44}""", second.Body);
        Assert.Equal("2", visits.Body);
        Assert.Equal("""{"key":"k","value":1,"idempotencyKey":null,"delayMillis":0}""", last.Body);
    }

    [Fact]
    public async Task SerdesFound_NullableState_TellsAbsentFromZero()
    {
        var key = NewKey();

        var absent = await fixture.PostAsync($"/Inferred/{key}/visits");
        await fixture.PostAsync($"/Inferred/{key}/setVisits", "0");
        var zero = await fixture.PostAsync($"/Inferred/{key}/visits");

        Assert.Equal("null", absent.Body);
        Assert.Equal("0", zero.Body);
    }

    [Fact]
    public async Task SerdesFound_AwakeableValue_ComesFromTheEndpointsJsonContext()
    {
        var mailbox = NewKey();
        var waiting = await fixture.SendAsync("/InferredAtEndpoint/awaitSignup", $"\"{mailbox}\"");

        await fixture.PostAsync("/InferredAtEndpoint/resolveSignup", $"\"{await fixture.WaitForMailboxAsync(mailbox)}\"");
        var result = await fixture.AttachAsync(waiting);

        Assert.Equal("\"ada@example.com:confirmed\"", result.Body);
    }

    [Fact]
    public async Task Interceptor_SeesEveryAttemptAndRunExecution_AndMapsAnExceptionToATerminalError()
    {
        var found = await fixture.PostAsync("/Intercepted/find", "\"ada\"");
        var missing = await fixture.PostAsync("/Intercepted/find", "\"bob\"");

        Assert.Equal("\"found ada\"", found.Body);
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal("not found: bob", JsonNode.Parse(missing.Body)!["message"]!.GetValue<string>());
        foreach (var (response, outcome) in new[] { (found, "ok"), (missing, "mapped") })
        {
            var id = response.InvocationId;
            // The run executes once; every attempt but the last ended by suspending (where every await suspends).
            Assert.Equal(1, fixture.SideEffects.Count($"run:{id}:lookup"));
            Assert.Equal(1, fixture.SideEffects.Count($"attempt:{id}:{outcome}"));
            var ended = fixture.SideEffects.Count($"attempt:{id}:ended");
            Assert.True(fixture.Configuration.Suspends ? ended > 0 : ended == 0, $"{ended} attempt(s) ended by suspending");
        }
    }

    [Theory]
    [InlineData("parse")]
    [InlineData("parseInRun")]
    public async Task MappedException_FromHandlerOrRun_FailsTerminallyWithoutRetrying(string handler)
    {
        var ok = await fixture.PostAsync($"/Mapped/{handler}", "\"42\"");
        var bad = await fixture.PostAsync($"/Mapped/{handler}", "\"forty-two\"");

        Assert.Equal("42", ok.Body);
        Assert.Equal((HttpStatusCode)422, bad.Status);
        Assert.StartsWith("bad format: The input string 'forty-two' was not in a correct format.", JsonNode.Parse(bad.Body)!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        if (handler == "parseInRun")
        {
            // Journaled as a terminal failure on its first execution: never retried.
            Assert.Equal(1, fixture.SideEffects.Count($"parse:{bad.InvocationId}"));
        }
    }

    [Fact]
    public async Task BlockingOnAFuture_InsteadOfAwaitingIt_ThrowsSayingToAwait()
    {
        var response = await fixture.PostAsync("/Unwinding/blockOnRun");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var body = JsonNode.Parse(response.Body)!.GetValue<string>();
        Assert.StartsWith("refused: This durable future has no result yet: await it", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unwinding_LockHeldAcrossAwaits_IsReleasedWhenEachAttemptEnds()
    {
        // Sequential invocations of a handler that holds a process-wide lock across a timer and a run: an attempt that
        // suspends without unwinding would keep the lock, and its own next attempt would wait for it forever.
        for (var i = 0; i < 3; i++)
        {
            var response = await fixture.PostAsync("/Unwinding/holdLock", $"\"call {i}\"");

            Assert.Equal(HttpStatusCode.OK, response.Status);
            Assert.Equal($"\"call {i} done\"", response.Body);
        }
    }

    [Fact]
    public async Task Unwinding_UsingScopeAndAttemptToken_EndOncePerAttempt()
    {
        var response = await fixture.PostAsync("/Unwinding/countScopes");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var id = response.InvocationId;
        var attempts = fixture.SideEffects.Count($"enter:{id}");
        // Every attempt that entered the handler disposed its using scope, suspended or not, and every attempt that ended
        // while the handler was still in it (all but the last, which returned) saw its token cancelled there.
        Assert.Equal(attempts, fixture.SideEffects.Count($"dispose:{id}"));
        Assert.Equal(attempts - 1, fixture.SideEffects.Count($"token:{id}"));
        // Two timers and a run: where every await suspends that takes several attempts; streaming, one.
        if (fixture.Configuration.Suspends)
        {
            Assert.True(attempts > 1, $"{attempts} attempt(s)");
        }
        else
        {
            Assert.Equal(1, attempts);
        }
    }
}

public sealed class BidiStreamTests(BidiStreamFixture fixture) : SdkFeatureTests(fixture), IClassFixture<BidiStreamFixture>;

public sealed class RequestResponseTests(RequestResponseFixture fixture) : SdkFeatureTests(fixture), IClassFixture<RequestResponseFixture>;

public sealed class AlwaysSuspendingTests(AlwaysSuspendingFixture fixture) : SdkFeatureTests(fixture), IClassFixture<AlwaysSuspendingFixture>;

public sealed class LazyStateAlwaysSuspendingTests(LazyStateAlwaysSuspendingFixture fixture)
    : SdkFeatureTests(fixture), IClassFixture<LazyStateAlwaysSuspendingFixture>;

public sealed class RequestSigningTests(SignedFixture fixture) : SdkFeatureTests(fixture), IClassFixture<SignedFixture>;

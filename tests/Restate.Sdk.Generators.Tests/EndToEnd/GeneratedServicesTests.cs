using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Restate.Sdk.Client;

namespace Restate.Sdk.Generators.Tests.EndToEnd;

/// <summary>Generated definitions and clients against the real restate-server.</summary>
public sealed class GeneratedServicesTests(EndToEndFixture fixture) : IClassFixture<EndToEndFixture>
{
    [Fact]
    public async Task Transfer_ThroughTypedObjectClient_CallsNowAndSendsWithDelay()
    {
        var account = "acc-" + Guid.NewGuid().ToString("N");

        var (status, body) = await PostAsync("/bank/transfer",
            $$"""{"account":"{{account}}","amount":5,"laterAmount":7,"delayMilliseconds":3000}""");

        Assert.Equal(HttpStatusCode.OK, status);
        var receipt = JsonNode.Parse(body)!;
        Assert.Equal(5, receipt["balance"]!.GetValue<long>());
        Assert.Equal(5, receipt["balanceRead"]!.GetValue<long>());
        var delayedId = receipt["delayedInvocationId"]!.GetValue<string>();
        Assert.StartsWith("inv_", delayedId, StringComparison.Ordinal);
        var delayed = Assert.Single(await fixture.Server.QueryAsync(
            $"SELECT status, target_handler_name FROM sys_invocation WHERE id = '{delayedId}'"))!;
        Assert.Equal("deposit", delayed["target_handler_name"]!.GetValue<string>());
        Assert.Equal("scheduled", delayed["status"]!.GetValue<string>());

        var finalBalance = await WaitForBalanceAsync(account, 12);
        Assert.Equal(12, finalBalance);
        var state = Assert.Single(await fixture.Server.QueryAsync(
            $"SELECT key, value_utf8 FROM state WHERE service_name = 'accounts' AND service_key = '{account}'"))!;
        Assert.Equal("balance", state["key"]!.GetValue<string>());
        Assert.Equal("12", state["value_utf8"]!.GetValue<string>());
    }

    [Fact]
    public async Task Workflow_ConfirmedThroughTypedWorkflowClient_RunReturnsItsResult()
    {
        var email = $"ada-{Guid.NewGuid():N}@example.com";

        var (startStatus, _) = await PostAsync($"/signup/{email}/run/send", $$"""{"email":"{{email}}"}""");
        var (confirmStatus, confirmBody) = await PostAsync("/bank/confirmSignup", $"\"{email}\"");
        var (outputStatus, output) = await GetAsync($"/restate/workflow/signup/{email}/attach");

        Assert.Equal(HttpStatusCode.Accepted, startStatus);
        Assert.Equal(HttpStatusCode.OK, confirmStatus);
        Assert.Equal("", confirmBody);
        Assert.Equal(HttpStatusCode.OK, outputStatus);
        Assert.Equal($"\"{email} confirmed with c0de\"", output);
    }

    [Fact]
    public async Task IngressClient_OfAnObject_CallsSharedAndExclusiveHandlersWithIdempotencyKeys()
    {
        using var client = RestateClient.Create(fixture.Server.IngressUri);
        var account = client.ObjectClient<AccountsIngressClient>("acc-" + Guid.NewGuid().ToString("N"));
        var once = new CallOptions { IdempotencyKey = Guid.NewGuid().ToString() };

        var first = await account.DepositAsync(5, once);
        var repeated = await account.DepositAsync(5, once);
        var second = await account.DepositAsync(2);
        var balance = await account.GetBalanceAsync();

        Assert.Equal([5, 5, 7, 7], new[] { first, repeated, second, balance });
    }

    [Fact]
    public async Task IngressClient_OfAService_ReturnsTheTypedResponseAndSendsWithDelay()
    {
        using var client = RestateClient.Create(fixture.Server.IngressUri);
        var account = "acc-" + Guid.NewGuid().ToString("N");

        var receipt = await client.ServiceClient<BankIngressClient>().TransferAsync(new Transfer(account, 3, 4, 0));
        var sent = await client.ObjectClient<AccountsIngressClient>(account)
            .Send(new SendOptions { Delay = TimeSpan.FromMilliseconds(200) }).DepositAsync(10);
        var total = await client.AttachAsync(sent.InvocationId, Serde.Int64);

        Assert.Equal((3, 3), (receipt.Balance, receipt.BalanceRead));
        Assert.NotNull(sent.ExecutionTime);
        Assert.Contains(total, new long[] { 13, 17 });
        Assert.Equal(17, await WaitForBalanceAsync(account, 17));
    }

    [Fact]
    public async Task IngressClient_OfAWorkflow_SubmitsReadsTheOutputConfirmsAndAttaches()
    {
        using var client = RestateClient.Create(fixture.Server.IngressUri);
        var email = $"grace-{Guid.NewGuid():N}@example.com";
        var signup = client.WorkflowClient<SignupFlowIngressClient>(email);

        var submitted = await signup.Send().RunAsync(new Signup(email));
        var resubmitted = await signup.Send().RunAsync(new Signup(email));
        var before = await signup.GetOutputAsync();
        await signup.ConfirmAsync("f00d");
        var result = await signup.AttachAsync();
        var after = await signup.GetOutputAsync();

        Assert.False(submitted.PreviouslyAccepted);
        Assert.True(resubmitted.PreviouslyAccepted);
        Assert.Equal(submitted.InvocationId, resubmitted.InvocationId);
        Assert.False(before.IsReady);
        Assert.Equal($"{email} confirmed with f00d", result);
        Assert.Equal(new InvocationOutput<string>(true, result), after);
    }

    [Fact]
    public async Task IngressClient_AttachToAWorkflowNeverSubmitted_ThrowsTerminalExceptionWith404()
    {
        using var client = RestateClient.Create(fixture.Server.IngressUri);

        var error = await Assert.ThrowsAsync<TerminalException>(() => client.WorkflowClient<SignupFlowIngressClient>("nobody").AttachAsync());

        Assert.Equal(404, error.Code);
    }

    [Fact]
    public async Task IngressClient_OfARawBodyHandler_SendsTheBytesWithTheContentTypeFromTheHeaders()
    {
        using var client = RestateClient.Create(fixture.Server.IngressUri);
        var body = "{ \"type\":\"refund\" }"u8.ToArray();
        var headers = new Dictionary<string, string> { ["content-type"] = "application/json", [Webhooks.SignatureHeader] = Webhooks.Sign(body) };

        var answer = await client.ServiceClient<WebhooksIngressClient>().ReceiveAsync(body, new CallOptions { Headers = headers });
        // Without the header the bytes go as application/octet-stream, which the ingress itself refuses for this handler.
        var refused = await Assert.ThrowsAsync<RestateIngressException>(() => client.ServiceClient<WebhooksIngressClient>().ReceiveAsync(body));

        Assert.Equal($"verified {body.Length} bytes of application/json", answer);
        Assert.Equal(400, refused.Code);
        Assert.Contains("does not match 'application/json'", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GeneratedService_StateAndRunWithoutSerdes_UseTheAssemblysJsonContext()
    {
        var (status, body) = await PostAsync($"/accounts/{Guid.NewGuid():N}/rememberSignup", """{"email":"Ada@Example.COM"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"email":"ada@example.com"}""", body);
    }

    [Theory]
    [InlineData("/nullables/text")]
    [InlineData("/nullables/number")]
    public async Task NullableBuiltInInput_EmptyBody_IsReadAsNull(string path)
    {
        var (status, body) = await PostAsync(path, null);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("null", body);
    }

    [Theory]
    [InlineData("/nullables/text", "\"hi\"")]
    [InlineData("/nullables/number", "7")]
    public async Task NullableBuiltInInput_JsonBody_IsReadAsTheValue(string path, string json)
    {
        var (status, body) = await PostAsync(path, json);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(json, body);
    }

    [Fact]
    public async Task NonNullableInput_EmptyBody_AnswersBadRequestNamingTheProblem()
    {
        var (status, body) = await PostAsync("/bank/confirmSignup", null);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Invalid input for bank/confirmSignup", JsonNode.Parse(body)!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("the payload is empty", JsonNode.Parse(body)!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registration_SchemasFromSystemTextJsonAndDocs_AreWhatTheAdminApiReports()
    {
        var bank = JsonNode.Parse(await fixture.Server.Admin.GetStringAsync("/services/bank"))!;
        var transfer = bank["handlers"]!.AsArray().Single(h => h!["name"]!.GetValue<string>() == "transfer")!;
        var accounts = JsonNode.Parse(await fixture.Server.Admin.GetStringAsync("/services/accounts"))!;
        var balance = accounts["handlers"]!.AsArray().Single(h => h!["name"]!.GetValue<string>() == "balance")!;
        var nullables = JsonNode.Parse(await fixture.Server.Admin.GetStringAsync("/services/nullables"))!["handlers"]!.AsArray();

        Assert.Equal("Moves money through the typed client of Accounts.", bank["documentation"]!.GetValue<string>());
        Assert.Equal("Deposits now (a call) and later (a delayed send).", transfer["documentation"]!.GetValue<string>());
        var input = transfer["input_json_schema"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Serde.Json(BankJson.Default.Transfer).JsonSchema!), input), input.ToJsonString());
        Assert.Equal("object", input["type"]!.GetValue<string>());
        Assert.Equal(["account", "amount", "delayMilliseconds", "laterAmount"], input["properties"]!.AsObject().Select(p => p.Key).Order());
        Assert.Equal(["account", "amount", "delayMilliseconds", "laterAmount"], input["required"]!.AsArray().Select(n => n!.GetValue<string>()).Order());
        // BankJson uses JsonSerializerDefaults.Web, whose number handling also reads numbers written as strings.
        Assert.Equal(["string", "integer"], transfer["output_json_schema"]!["properties"]!["balanceRead"]!["type"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("""{"type":["string","null"]}""", nullables.Single(h => h!["name"]!.GetValue<string>() == "text")!["input_json_schema"]!.ToJsonString());
        Assert.Equal("""{"type":["integer","null"]}""", nullables.Single(h => h!["name"]!.GetValue<string>() == "number")!["input_json_schema"]!.ToJsonString());
        Assert.Equal("Shared", balance["ty"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    public async Task Webhook_SignedRawJson_VerifiesTheExactBytesAndAnswersPlainText(string contentType)
    {
        // Spacing, an exponent and an escape that any JSON round trip would rewrite: the signature only matches if the
        // handler gets the bytes exactly as sent.
        var body = "{ \"type\":\"charge.succeeded\",  \"amount\": 1e3, \"note\": \"caf\\u00e9\" }\n"u8.ToArray();

        using var response = await PostRawAsync("/webhooks/receive", body, contentType, Webhooks.Sign(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"verified {body.Length} bytes of {contentType}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Webhook_BodyChangedAfterSigning_AnswersUnauthorized()
    {
        var signed = """{"type":"charge.succeeded","amount":1000}"""u8.ToArray();
        var sent = """{"type":"charge.succeeded","amount":9000}"""u8.ToArray();

        using var response = await PostRawAsync("/webhooks/receive", sent, "application/json", Webhooks.Sign(signed));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("The signature does not match the body.", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/octet-stream")]
    [InlineData("Application/JSON")]
    public async Task Webhook_OtherContentType_IsRefusedByRestateServerWith400BeforeTheHandler(string contentType)
    {
        var body = """{"type":"charge.succeeded"}"""u8.ToArray();

        using var response = await PostRawAsync("/webhooks/receive", body, contentType, Webhooks.Sign(body));

        // restate-server 1.7 checks input.contentType at the ingress, case-sensitively, and answers 400 (not 415).
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal($"input validation error: Content-type '{contentType}' does not match 'application/json'", error["message"]!.GetValue<string>());
        Assert.Equal("ingress", error["source"]!.GetValue<string>());
    }

    [Fact]
    public async Task Webhook_NoBodyAndNoContentType_ReachesTheHandler()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/receive");
        using var response = await fixture.Server.Ingress.SendAsync(request);

        // The manifest says input.required = false, so the server lets an empty request through to the handler.
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invocation", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["source"]!.GetValue<string>());
    }

    [Fact]
    public async Task Registration_AcceptAndContentType_AreWhatTheAdminApiReports()
    {
        var webhooks = JsonNode.Parse(await fixture.Server.Admin.GetStringAsync("/services/webhooks"))!;
        var receive = webhooks["handlers"]!.AsArray().Single(h => h!["name"]!.GetValue<string>() == "receive")!;

        Assert.Equal("application/json", receive["input_description"]!.GetValue<string>());
        Assert.Equal("text/plain", receive["output_description"]!.GetValue<string>());
    }

    private async Task<HttpResponseMessage> PostRawAsync(string path, byte[] body, string contentType, string signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add(Webhooks.SignatureHeader, signature);
        return await fixture.Server.Ingress.SendAsync(request);
    }

    private async Task<long> WaitForBalanceAsync(string account, long expected)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var (status, body) = await PostAsync($"/accounts/{account}/balance", null);
            Assert.Equal(HttpStatusCode.OK, status);
            var balance = long.Parse(body, System.Globalization.CultureInfo.InvariantCulture);
            if (balance == expected)
            {
                return balance;
            }
            await Task.Delay(50, timeout.Token);
        }
    }

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string path, string? json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        using var response = await fixture.Server.Ingress.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
    {
        using var response = await fixture.Server.Ingress.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Restate.Sdk.Lambda;
using Restate.Sdk.Testing;
using Restate.Sdk.Testing.Lambda;

namespace Holiday.Registrar.Tests;

/// <summary>
/// The onEvent handler, called in-process with the provider framework's events, against the real restate-server
/// (which runs discovery and invocations through the Lambda emulator). One class, so its tests share the server one
/// at a time.
/// </summary>
public sealed class RegistrarFunctionTests : IClassFixture<RegistrarFixture>, IDisposable
{
    /// <summary>Short bounds: an unreachable admin API fails in seconds, not minutes.</summary>
    private static readonly RegistrarOptions Fast = new()
    {
        HealthTimeout = TimeSpan.FromSeconds(2),
        RegistrationTimeout = TimeSpan.FromSeconds(10),
        InitialBackoff = TimeSpan.FromMilliseconds(50),
        MaxBackoff = TimeSpan.FromMilliseconds(400),
        RequestTimeout = TimeSpan.FromSeconds(20),
        DeleteTimeout = TimeSpan.FromSeconds(30),
        DeadlineReserve = TimeSpan.FromSeconds(1),
    };

    private readonly RegistrarFixture _fixture;
    private readonly ITestOutputHelper _output;

    public RegistrarFunctionTests(RegistrarFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
        _fixture.Output = output;
    }

    private Uri RestateAdmin => _fixture.Restate.AdminUri;

    public void Dispose() => _fixture.Output = null;

    [Fact]
    public async Task Create_RegistersTheDeployment_AndAnswersTheFrameworkWithTheArnAndDeploymentId()
    {
        var arn = _fixture.AddEchoFunction("trips-create").Single();
        using var recorder = new RecordingHandler();

        var result = await RunAsync(CustomResourceEvents.Create(CustomResourceEvents.Properties(RestateAdmin, arn)), handler: recorder);

        Assert.Equal(["Data", "PhysicalResourceId"], result.Json.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(arn, result.PhysicalId);
        var deploymentId = result.Data("DeploymentId");
        Assert.StartsWith("dp_", deploymentId, StringComparison.Ordinal);
        Assert.Equal("EchoGreeter", result.Data("Services"));
        Assert.Contains((deploymentId!, arn), await _fixture.DeploymentsAsync());
        // The framework answers CloudFormation: the handler never calls the event's ResponseURL.
        Assert.All(recorder.Sent, request => Assert.Equal(RestateAdmin.Authority, request.Uri.Authority));
    }

    [Fact]
    public async Task Create_Repeated_AnswersTheSameDeploymentId()
    {
        // The framework (or CloudFormation) may send the same Create twice.
        var arn = _fixture.AddEchoFunction("trips-repeat").Single();
        var properties = CustomResourceEvents.Properties(RestateAdmin, arn);

        var first = await RunAsync(CustomResourceEvents.Create(properties));
        var second = await RunAsync(CustomResourceEvents.Create(properties.DeepClone().AsObject()));

        Assert.Equal(first.Data("DeploymentId"), second.Data("DeploymentId"));
        Assert.Single(await _fixture.DeploymentsAsync(), deployment => deployment.Arn == arn);
    }

    [Fact]
    public async Task Update_ToNewVersion_RegistersItUnderANewPhysicalIdAndKeepsTheOldOne()
    {
        var arns = _fixture.AddEchoFunction("trips-update", "1", "2");
        var (v1, v2) = (arns[0], arns[1]);
        var oldProperties = CustomResourceEvents.Properties(RestateAdmin, v1);
        var created = await RunAsync(CustomResourceEvents.Create(oldProperties));

        var updated = await RunAsync(CustomResourceEvents.Update(v1, CustomResourceEvents.Properties(RestateAdmin, v2), oldProperties.DeepClone().AsObject()));

        Assert.Equal(v1, created.PhysicalId);
        // A new physical id: CloudFormation later sends a Delete for v1, which removes it once drained.
        Assert.Equal(v2, updated.PhysicalId);
        Assert.NotEqual(created.Data("DeploymentId"), updated.Data("DeploymentId"));
        var deployments = await _fixture.DeploymentsAsync();
        Assert.Contains(deployments, deployment => deployment.Arn == v1);
        Assert.Contains((updated.Data("DeploymentId")!, v2), deployments);
    }

    [Fact]
    public async Task Create_ExpectedServiceCameBack_Succeeds()
    {
        var arn = _fixture.AddPinnedFunction("holiday-payments", serviceName: "payments");

        var result = await RunAsync(CustomResourceEvents.Create(CustomResourceEvents.Properties(RestateAdmin, arn, expectedServices: "payments")));

        Assert.Equal(arn, result.PhysicalId);
        Assert.Equal("payments", result.Data("Services"));
    }

    [Fact]
    public async Task Create_ExpectedServiceMissing_FailsNamingItAndWhatCameBack()
    {
        var arn = _fixture.AddPinnedFunction("holiday-cars", serviceName: "cars");

        var message = await FailAsync(CustomResourceEvents.Create(CustomResourceEvents.Properties(RestateAdmin, arn, expectedServices: "flights, cars")));

        _output.WriteLine(message);
        Assert.StartsWith($"Restate registered {arn} as dp_", message, StringComparison.Ordinal);
        Assert.Contains("does not expose the expected service 'flights' (ExpectedServices); the services that came back are 'cars'.", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_ServerStartsLate_HealthCheckRetriesUntilItIsUp()
    {
        var arn = _fixture.AddEchoFunction("trips-late").Single();
        var adminPort = RegistrarFixture.FreePort();
        var adminUrl = new Uri($"http://127.0.0.1:{adminPort}/");
        using var recorder = new RecordingHandler();
        var patient = Fast with { HealthTimeout = TimeSpan.FromMinutes(3), MaxBackoff = TimeSpan.FromSeconds(1) };

        // The registrar starts first and finds nothing listening on the port it was told.
        var create = RunAsync(CustomResourceEvents.Create(CustomResourceEvents.Properties(adminUrl, arn)), handler: recorder, options: patient);
        await recorder.FirstFailure.Task.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.False(create.IsCompleted);
        await using var late = await RestateServer.StartAsync(_fixture.ServerOptions(adminPort));

        var result = await create;

        Assert.Equal(arn, result.PhysicalId);
        Assert.True(recorder.Sent.Count(request => request.Uri.AbsolutePath == "/health") >= 2);
        using var deployments = await late.Admin.GetAsync(new Uri("deployments", UriKind.Relative));
        Assert.Contains(result.Data("DeploymentId")!, await deployments.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_IdleDeployment_RemovesIt()
    {
        var arn = _fixture.AddEchoFunction("trips-delete").Single();
        var properties = CustomResourceEvents.Properties(RestateAdmin, arn);
        var created = await RunAsync(CustomResourceEvents.Create(properties));
        var log = new ConcurrentQueue<string>();

        var deleted = await RunAsync(CustomResourceEvents.Delete(arn, properties.DeepClone().AsObject()), log: log);

        Assert.Equal(arn, deleted.PhysicalId);
        Assert.Null(deleted.Json["Data"]);
        Assert.DoesNotContain(await _fixture.DeploymentsAsync(), deployment => deployment.Arn == arn);
        Assert.Contains(log, line => line.Contains($"removed Restate deployment {created.Data("DeploymentId")}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Delete_InvocationSuspendedOnTheDeployment_KeepsItAndSucceeds()
    {
        var arn = _fixture.AddPinnedFunction("holiday-flights", serviceName: "flights");
        var properties = CustomResourceEvents.Properties(RestateAdmin, arn, expectedServices: "flights");
        var deploymentId = (await RunAsync(CustomResourceEvents.Create(properties))).Data("DeploymentId")!;
        var invocationId = await SendAsync("flights/wait/send");
        await WaitForStatusAsync(invocationId, "suspended");
        var log = new ConcurrentQueue<string>();

        var deleted = await RunAsync(CustomResourceEvents.Delete(arn, properties.DeepClone().AsObject()), log: log);

        Assert.Equal(arn, deleted.PhysicalId);
        Assert.Contains((deploymentId, arn), await _fixture.DeploymentsAsync());
        var kept = Assert.Single(log, line => line.Contains("kept Restate deployment", StringComparison.Ordinal));
        Assert.Contains($"{deploymentId}, invocations are still in flight on it ({invocationId} suspended)", kept, StringComparison.Ordinal);
        Assert.Contains($"restate deployments remove {deploymentId}", kept, StringComparison.Ordinal);
        var row = Assert.Single(await _fixture.Restate.QueryAsync($"SELECT status, pinned_deployment_id FROM sys_invocation WHERE id = '{invocationId}'"))!;
        Assert.Equal(("suspended", deploymentId), ((string?)row["status"], (string?)row["pinned_deployment_id"]));
    }

    [Fact]
    public async Task Delete_AfterTheInvocationsCompleted_RemovesTheDeployment()
    {
        var arn = _fixture.AddPinnedFunction("holiday-trips", serviceName: "trips");
        var properties = CustomResourceEvents.Properties(RestateAdmin, arn, expectedServices: "trips");
        await RunAsync(CustomResourceEvents.Create(properties));
        using var call = await _fixture.Restate.Ingress.PostAsync(new Uri("trips/hello", UriKind.Relative), Json("\"Ada\""));
        Assert.Equal("\"hello Ada\"", await call.Content.ReadAsStringAsync());

        await RunAsync(CustomResourceEvents.Delete(arn, properties.DeepClone().AsObject()));

        Assert.DoesNotContain(await _fixture.DeploymentsAsync(), deployment => deployment.Arn == arn);
    }

    [Fact]
    public async Task Delete_ServerGone_SucceedsQuickly()
    {
        var arn = LambdaArn.Qualified("gone", "4");
        var log = new ConcurrentQueue<string>();
        var watch = Stopwatch.StartNew();

        var deleted = await RunAsync(CustomResourceEvents.Delete(arn, CustomResourceEvents.Properties(RegistrarFixture.UnreachableUrl(), arn)),
            options: new RegistrarOptions(), log: log);

        Assert.Equal(arn, deleted.PhysicalId);
        // A refused connection is not retried: well within the Delete's default budget.
        Assert.True(watch.Elapsed < new RegistrarOptions().DeleteTimeout, $"took {watch.Elapsed}");
        Assert.Contains(log, line => line.Contains("left the Restate deployment registered, failed while listing the deployments", StringComparison.Ordinal)
            && line.EndsWith("The Delete succeeds anyway.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Delete_AdminNeverAnswers_GivesUpWithinItsBudgetAndSucceeds()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start(); // accepts connections (the kernel does) and never answers
        var adminUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/");
        var arn = LambdaArn.Qualified("silent", "1");
        var log = new ConcurrentQueue<string>();
        var budget = Fast with { DeleteTimeout = TimeSpan.FromSeconds(2) };

        var deleted = await RunAsync(CustomResourceEvents.Delete(arn, CustomResourceEvents.Properties(adminUrl, arn)), options: budget, log: log);

        Assert.Equal(arn, deleted.PhysicalId);
        Assert.Contains(log, line => line.Contains("out of time (the Delete's budget is 00:00:02)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(500, "{\"message\":\"internal error\"}", "GET /deployments answered HTTP 500 InternalServerError: internal error")]
    [InlineData(401, "{\"message\":\"unauthorized\"}", "GET /deployments answered HTTP 401 Unauthorized: unauthorized")]
    public async Task Delete_AdminAnswersAnError_LogsItAndSucceeds(int status, string body, string expected)
    {
        await using var admin = await FakeAdminApi.StartAsync(status, body);
        var arn = LambdaArn.Qualified("refused", "2");
        var log = new ConcurrentQueue<string>();

        var deleted = await RunAsync(CustomResourceEvents.Delete(arn, CustomResourceEvents.Properties(admin.BaseUri, arn)), log: log);

        Assert.Equal(arn, deleted.PhysicalId);
        Assert.Equal(1, admin.Requests);
        Assert.Contains(log, line => line.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Delete_WithInvalidProperties_SucceedsWithoutCallingRestate()
    {
        // The Delete that rolls back a Create which failed on its properties must not fail too.
        using var recorder = new RecordingHandler();

        var deleted = await RunAsync(CustomResourceEvents.Delete("TripsRegistration-0000", new JsonObject { ["AdminUrl"] = "nonsense" }), handler: recorder);

        Assert.Equal("TripsRegistration-0000", deleted.PhysicalId);
        Assert.Empty(recorder.Sent);
    }

    [Fact]
    public async Task Delete_NotRegistered_Succeeds()
    {
        var arn = LambdaArn.Qualified("never-registered", "9");
        var log = new ConcurrentQueue<string>();

        var deleted = await RunAsync(CustomResourceEvents.Delete(arn, CustomResourceEvents.Properties(RestateAdmin, arn)), log: log);

        Assert.Equal(arn, deleted.PhysicalId);
        Assert.Contains(log, line => line.Contains("not registered with Restate", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Create_AdminUnreachable_FailsWithinTheBound()
    {
        var unreachable = RegistrarFixture.UnreachableUrl();
        var watch = Stopwatch.StartNew();

        var message = await FailAsync(CustomResourceEvents.Create(
            CustomResourceEvents.Properties(unreachable, "arn:aws:lambda:us-east-1:123456789012:function:nowhere:1")));

        Assert.Contains($"{unreachable}health was not healthy within {Fast.HealthTimeout}", message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed >= Fast.HealthTimeout, $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Create_FunctionUnknownToLambda_RetriesThenFailsWithRestatesMessage()
    {
        // restate-server answers a failed discovery with a 5xx; that is retried (think IAM still propagating), within a bound.
        var missing = LambdaArn.Qualified("never-deployed", "7");
        var options = Fast with { RegistrationTimeout = TimeSpan.FromSeconds(4) };

        var message = await FailAsync(CustomResourceEvents.Create(CustomResourceEvents.Properties(RestateAdmin, missing)), options: options);

        _output.WriteLine(message);
        Assert.StartsWith($"Registering {missing} with Restate at {RestateAdmin}deployments kept failing for {options.RegistrationTimeout}", message, StringComparison.Ordinal);
        Assert.Contains("last error: HTTP 500 InternalServerError: [META0003]", message, StringComparison.Ordinal);
        Assert.Contains("Function not found", message, StringComparison.Ordinal);
        Assert.DoesNotContain(await _fixture.DeploymentsAsync(), deployment => deployment.Arn == missing);
    }

    [Theory]
    [InlineData(409, "{\"message\":\"[META0006] cannot update the deployment: the service EchoGreeter changed its type\"}",
        "HTTP 409 Conflict: [META0006] cannot update the deployment: the service EchoGreeter changed its type")]
    [InlineData(400, "bad request", "HTTP 400 BadRequest: bad request")]
    public async Task Create_RestateRefuses_FailsAtOnceWithRestatesMessage(int status, string body, string expected)
    {
        await using var admin = await FakeAdminApi.StartAsync(status, body);
        const string arn = "arn:aws:lambda:us-east-1:123456789012:function:trips:3";

        var message = await FailAsync(CustomResourceEvents.Create(CustomResourceEvents.Properties(admin.BaseUri, arn)));

        Assert.Equal($"Restate refused to register {arn}: {expected}", message);
        Assert.Equal(1, admin.Requests);
    }

    [Theory]
    [InlineData("DeploymentArn", null, "DeploymentArn is missing")]
    [InlineData("DeploymentArn", "\"  \"", "DeploymentArn is missing")]
    [InlineData("DeploymentArn", "42", "DeploymentArn must be a string")]
    [InlineData("DeploymentArn", "\"arn:aws:lambda:us-east-1:123456789012:function:trips\"", "DeploymentArn 'arn:aws:lambda:us-east-1:123456789012:function:trips' is not a qualified")]
    [InlineData("AdminUrl", null, "AdminUrl is missing")]
    [InlineData("AdminUrl", "\"restate.example.com\"", "AdminUrl 'restate.example.com' is not an absolute http(s) URL")]
    [InlineData("AdminUrl", "\"ftp://restate.example.com/\"", "AdminUrl 'ftp://restate.example.com/' is not an absolute http(s) URL")]
    [InlineData("AssumeRoleArn", "\"invoker\"", "AssumeRoleArn 'invoker' is not an IAM role ARN")]
    [InlineData("ExpectedServices", "[\"trips\"]", "ExpectedServices must be a string")]
    public async Task Create_InvalidProperty_FailsNamingIt(string property, string? json, string expected)
    {
        var properties = CustomResourceEvents.Properties(RestateAdmin, "arn:aws:lambda:us-east-1:123456789012:function:trips:3");
        properties[property] = json is null ? null : JsonNode.Parse(json);
        if (json is null)
        {
            properties.Remove(property);
        }

        var message = await FailAsync(CustomResourceEvents.Create(properties));

        Assert.StartsWith($"Property {expected}", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_NoResourceProperties_Fails()
    {
        var created = CustomResourceEvents.Create([]);
        created.Remove("ResourceProperties");

        var message = await FailAsync(created);

        Assert.Contains("no ResourceProperties", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownRequestType_Fails()
    {
        var created = CustomResourceEvents.Create(CustomResourceEvents.Properties(RestateAdmin, "arn:aws:lambda:us-east-1:1:function:f:1"));
        created["RequestType"] = "Upsert";

        var message = await FailAsync(created);

        Assert.StartsWith("RequestType 'Upsert' is not Create, Update or Delete", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"RequestType\":\"Create\",\"ResourceProperties\":\"not an object\"}")]
    [InlineData("this is not json")]
    public async Task EventThatIsNotACustomResourceEvent_Fails(string payload)
    {
        using var http = RegistrarFunction.CreateHttpClient();
        var function = new RegistrarFunction(http, new UnusedTokenSource(), Fast, _ => { });

        var error = await Assert.ThrowsAsync<RegistrationFailedException>(
            () => function.HandleAsync(Encoding.UTF8.GetBytes(payload), Context(), CancellationToken.None));

        Assert.StartsWith("The event is not a custom resource event", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_TokenSourceFails_FailsNamingAuthTokenParameter()
    {
        var properties = CustomResourceEvents.Properties(RestateAdmin, "arn:aws:lambda:us-east-1:123456789012:function:trips:3");
        properties["AuthTokenParameter"] = "/aws/reference/secretsmanager/restate-token";

        var message = await FailAsync(CustomResourceEvents.Create(properties), tokens: new FailingTokenSource());

        Assert.Contains("SSM parameter /aws/reference/secretsmanager/restate-token (AuthTokenParameter)", message, StringComparison.Ordinal);
        Assert.Contains("not authorized to perform: ssm:GetParameter", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_HttpStackThrowsUnexpectedly_FailsNamingTheStep()
    {
        using var faulty = new RecordingHandler { ThrowOnPathSuffix = "/health" };

        var message = await FailAsync(CustomResourceEvents.Create(
            CustomResourceEvents.Properties(RestateAdmin, "arn:aws:lambda:us-east-1:123456789012:function:trips:3")), handler: faulty);

        Assert.Contains("InvalidDataException: simulated bug in the HTTP stack", message, StringComparison.Ordinal);
        Assert.Contains("waiting for Restate's admin API", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthTokenParameter_SendsTheBearerTokenOnEveryAdminRequest_CreateAndDelete()
    {
        const string token = "key_restate-cloud-secret";
        const string parameter = "/aws/reference/secretsmanager/restate-cloud-token";
        var arn = _fixture.AddEchoFunction("trips-token").Single();
        var tokens = new FixedTokenSource(token);
        using var recorder = new RecordingHandler();
        var properties = CustomResourceEvents.Properties(RestateAdmin, arn);
        properties["AuthTokenParameter"] = parameter;

        var created = await RunAsync(CustomResourceEvents.Create(properties), tokens, recorder);
        await RunAsync(CustomResourceEvents.Delete(arn, properties.DeepClone().AsObject()), tokens, recorder);

        Assert.Equal([parameter, parameter], tokens.Requested);
        Assert.Equal(["/health", "/deployments", "/query", $"/deployments/{created.Data("DeploymentId")}"],
            recorder.Sent.Select(request => request.Uri.AbsolutePath).Distinct());
        Assert.All(recorder.Sent, request => Assert.Equal($"Bearer {token}", request.Authorization));
        Assert.DoesNotContain(token, created.Json.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(await _fixture.DeploymentsAsync(), deployment => deployment.Arn == arn);
    }

    [Fact]
    public async Task Create_DeadlineTooClose_FailsSayingItRanOutOfTime()
    {
        var created = CustomResourceEvents.Create(
            CustomResourceEvents.Properties(RegistrarFixture.UnreachableUrl(), "arn:aws:lambda:us-east-1:123456789012:function:trips:3"));
        var patient = Fast with { HealthTimeout = TimeSpan.FromMinutes(5) };

        var message = await FailAsync(created, options: patient, deadline: DateTimeOffset.UtcNow + patient.DeadlineReserve + TimeSpan.FromMilliseconds(500));

        Assert.StartsWith("Ran out of time while waiting for Restate's admin API", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LambdaRuntime_InTheEmulator_AnswersTheFrameworkAndFailsAsAFunctionError()
    {
        // The registrar's own bootstrap (the JIT build of it) on the generic Lambda runtime loop, invoked by the
        // emulator as the framework invokes it: its result is the framework's document, a failure a function error.
        var arn = _fixture.AddPinnedFunction("holiday-runtime", serviceName: "runtime_check");
        var registrar = _fixture.Lambda.AddFunction(new LambdaFunctionDefinition
        {
            Name = "holiday-registrar",
            StartInfoFactory = LambdaFunctionDefinition.DotnetAssembly(Path.Combine(AppContext.BaseDirectory, "bootstrap.dll")),
            Timeout = TimeSpan.FromSeconds(60),
        });
        var created = CustomResourceEvents.Create(CustomResourceEvents.Properties(RestateAdmin, arn, expectedServices: "runtime_check"));
        var wrong = CustomResourceEvents.Create(CustomResourceEvents.Properties(RestateAdmin, arn, expectedServices: "trips"));

        var success = await _fixture.Lambda.InvokeAsync(registrar.QualifiedArn, created.ToJsonString());
        var failure = await _fixture.Lambda.InvokeAsync(registrar.QualifiedArn, wrong.ToJsonString());

        Assert.True(success.FunctionError is null, success.Payload);
        var document = JsonNode.Parse(success.Payload)!;
        Assert.Equal(arn, (string?)document["PhysicalResourceId"]);
        Assert.StartsWith("dp_", (string?)document["Data"]!["DeploymentId"], StringComparison.Ordinal);
        Assert.Equal("Unhandled", failure.FunctionError);
        var error = JsonNode.Parse(failure.Payload)!;
        Assert.Equal("RegistrationFailedException", (string?)error["errorType"]);
        Assert.Contains("does not expose the expected service 'trips'", (string?)error["errorMessage"], StringComparison.Ordinal);
        Assert.Contains(registrar.RecentLog, line => line.Contains($"Create TripsRegistration ({created["RequestId"]}): done", StringComparison.Ordinal));
    }

    private static LambdaInvocationContext Context(DateTimeOffset? deadline = null) =>
        new(Guid.NewGuid().ToString(), deadline ?? DateTimeOffset.UtcNow.AddMinutes(5),
            "arn:aws:lambda:us-east-1:123456789012:function:holiday-registrar:1", null);

    private RegistrarFunction CreateFunction(HttpClient http, IAuthTokenSource? tokens, RegistrarOptions? options, ConcurrentQueue<string>? log) =>
        new(http, tokens ?? new UnusedTokenSource(), options ?? Fast, line =>
        {
            log?.Enqueue(line);
            _output.WriteLine(line);
        });

    /// <summary>Runs the handler in-process on the event bytes, as the runtime would, and reads the document it returns.</summary>
    private async Task<HandlerResult> RunAsync(JsonObject customResourceEvent, IAuthTokenSource? tokens = null, HttpMessageHandler? handler = null,
        RegistrarOptions? options = null, DateTimeOffset? deadline = null, ConcurrentQueue<string>? log = null)
    {
        using var http = handler is null
            ? RegistrarFunction.CreateHttpClient()
            : new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        var function = CreateFunction(http, tokens, options, log);

        var returned = await function.HandleAsync(CustomResourceEvents.Bytes(customResourceEvent), Context(deadline), CancellationToken.None);

        return new HandlerResult(JsonNode.Parse(returned.Span)!.AsObject());
    }

    /// <summary>Runs the handler and returns the message of the failure it must throw.</summary>
    private async Task<string> FailAsync(JsonObject customResourceEvent, IAuthTokenSource? tokens = null, HttpMessageHandler? handler = null,
        RegistrarOptions? options = null, DateTimeOffset? deadline = null)
    {
        var error = await Assert.ThrowsAsync<RegistrationFailedException>(() => RunAsync(customResourceEvent, tokens, handler, options, deadline));
        return error.Message;
    }

    /// <summary>Sends an invocation through the ingress and returns its id.</summary>
    private async Task<string> SendAsync(string path)
    {
        using var response = await _fixture.Restate.Ingress.PostAsync(new Uri(path, UriKind.Relative), Json("\"x\""));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return (string)JsonNode.Parse(text)!["invocationId"]!;
    }

    private async Task WaitForStatusAsync(string invocationId, string status)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (true)
        {
            var rows = await _fixture.Restate.QueryAsync($"SELECT status FROM sys_invocation WHERE id = '{invocationId}'", patience.Token);
            if (rows.Count == 1 && (string?)rows[0]!["status"] == status)
            {
                return;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), patience.Token);
        }
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>The document the handler returned to the framework.</summary>
    private sealed record HandlerResult(JsonObject Json)
    {
        public string PhysicalId => (string)Json["PhysicalResourceId"]!;

        public string? Data(string key) => (string?)Json["Data"]?[key];
    }
}

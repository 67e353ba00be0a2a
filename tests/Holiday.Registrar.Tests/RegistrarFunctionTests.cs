using System.Diagnostics;
using System.Text.Json.Nodes;
using Restate.Sdk.Lambda;
using Restate.Sdk.Testing.Lambda;

namespace Holiday.Registrar.Tests;

/// <summary>
/// The handler, called in-process, against the real restate-server (which runs discovery through the Lambda
/// emulator) and a stand-in for the pre-signed S3 ResponseURL. One class, so its tests share the server one at a time.
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
        ResponseReserve = TimeSpan.FromSeconds(1),
        ResponseTimeout = TimeSpan.FromSeconds(10),
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
    public async Task HandleAsync_Create_RegistersTheDeploymentAndPutsSuccess()
    {
        var arn = _fixture.AddEchoFunction("trips-create").Single();
        var slot = _fixture.ResponseUrls.NewUrl();
        var created = CustomResourceEvents.Create(slot.Url, CustomResourceEvents.Properties(RestateAdmin, arn));

        var put = await HandleAsync(created, slot);

        Assert.Equal("PUT", put.Method);
        Assert.EndsWith("X-Amz-Signature=ab%2Fcd%3D", put.RawQuery, StringComparison.Ordinal);
        // An empty content-type header, as the pre-signed URL was signed for (cfn-response sends the same).
        Assert.Equal((true, ""), (put.HasContentType, put.ContentType));
        Assert.False(put.HasAuthorization);
        var json = put.Json;
        Assert.Equal("SUCCESS", put.StatusField);
        Assert.Equal(arn, put.PhysicalIdField);
        Assert.Equal(CustomResourceEvents.StackId, (string?)json["StackId"]);
        Assert.Equal((string?)created["RequestId"], (string?)json["RequestId"]);
        Assert.Equal("TripsRegistration", (string?)json["LogicalResourceId"]);
        var deploymentId = (string?)json["Data"]?["DeploymentId"];
        Assert.StartsWith("dp_", deploymentId, StringComparison.Ordinal);
        Assert.Contains((deploymentId!, arn), await _fixture.DeploymentsAsync());
    }

    [Fact]
    public async Task HandleAsync_CreateRepeated_AnswersTheSameDeploymentId()
    {
        // Lambda retries an asynchronous invocation that failed, so the same Create may arrive twice.
        var arn = _fixture.AddEchoFunction("trips-repeat").Single();
        var properties = CustomResourceEvents.Properties(RestateAdmin, arn);
        var first = _fixture.ResponseUrls.NewUrl();
        var second = _fixture.ResponseUrls.NewUrl();

        var firstPut = await HandleAsync(CustomResourceEvents.Create(first.Url, properties), first);
        var secondPut = await HandleAsync(CustomResourceEvents.Create(second.Url, properties.DeepClone().AsObject()), second);

        Assert.Equal(("SUCCESS", "SUCCESS"), (firstPut.StatusField, secondPut.StatusField));
        Assert.Equal((string?)firstPut.Json["Data"]?["DeploymentId"], (string?)secondPut.Json["Data"]?["DeploymentId"]);
        Assert.Single(await _fixture.DeploymentsAsync(), deployment => deployment.Arn == arn);
    }

    [Fact]
    public async Task HandleAsync_UpdateToNewVersion_RegistersItAndKeepsTheOldOne()
    {
        var arns = _fixture.AddEchoFunction("trips-update", "1", "2");
        var (v1, v2) = (arns[0], arns[1]);
        var createSlot = _fixture.ResponseUrls.NewUrl();
        var oldProperties = CustomResourceEvents.Properties(RestateAdmin, v1);
        var created = await HandleAsync(CustomResourceEvents.Create(createSlot.Url, oldProperties), createSlot);
        var updateSlot = _fixture.ResponseUrls.NewUrl();

        var updated = await HandleAsync(
            CustomResourceEvents.Update(updateSlot.Url, v1, CustomResourceEvents.Properties(RestateAdmin, v2), oldProperties.DeepClone().AsObject()),
            updateSlot);

        Assert.Equal(("SUCCESS", v1), (created.StatusField, created.PhysicalIdField));
        // A new physical id: CloudFormation treats it as a replacement and later sends a Delete for v1.
        Assert.Equal(("SUCCESS", v2), (updated.StatusField, updated.PhysicalIdField));
        var newId = (string?)updated.Json["Data"]?["DeploymentId"];
        Assert.NotEqual((string?)created.Json["Data"]?["DeploymentId"], newId);
        var deployments = await _fixture.DeploymentsAsync();
        Assert.Contains(deployments, deployment => deployment.Arn == v1);
        Assert.Contains((newId!, v2), deployments);
    }

    [Fact]
    public async Task HandleAsync_Delete_PutsSuccessAndLeavesTheDeploymentRegistered()
    {
        var arn = _fixture.AddEchoFunction("trips-delete").Single();
        var properties = CustomResourceEvents.Properties(RestateAdmin, arn);
        var createSlot = _fixture.ResponseUrls.NewUrl();
        var created = await HandleAsync(CustomResourceEvents.Create(createSlot.Url, properties), createSlot);
        var deleteSlot = _fixture.ResponseUrls.NewUrl();

        var deleted = await HandleAsync(CustomResourceEvents.Delete(deleteSlot.Url, arn, properties.DeepClone().AsObject()), deleteSlot);

        Assert.Equal(("SUCCESS", arn), (deleted.StatusField, deleted.PhysicalIdField));
        Assert.Contains("left registered", deleted.ReasonField, StringComparison.Ordinal);
        Assert.Contains(((string)created.Json["Data"]!["DeploymentId"]!, arn), await _fixture.DeploymentsAsync());
    }

    [Fact]
    public async Task HandleAsync_DeleteWithInvalidProperties_PutsSuccessWithoutCallingRestate()
    {
        // The Delete that rolls back a Create which failed on its properties must not fail too.
        using var recorder = new RecordingHandler();
        var slot = _fixture.ResponseUrls.NewUrl();
        var deleted = CustomResourceEvents.Delete(slot.Url, "TripsRegistration-0000", new JsonObject { ["AdminUrl"] = "nonsense" });

        var put = await HandleAsync(deleted, slot, handler: recorder);

        Assert.Equal(("SUCCESS", "TripsRegistration-0000"), (put.StatusField, put.PhysicalIdField));
        Assert.All(recorder.Sent, request => Assert.Equal(HttpMethod.Put, request.Method));
    }

    [Fact]
    public async Task HandleAsync_AdminUnreachable_PutsFailedWithinTheBound()
    {
        var unreachable = RegistrarFixture.UnreachableUrl();
        var slot = _fixture.ResponseUrls.NewUrl();
        var created = CustomResourceEvents.Create(slot.Url,
            CustomResourceEvents.Properties(unreachable, "arn:aws:lambda:us-east-1:123456789012:function:nowhere:1"));
        var watch = Stopwatch.StartNew();

        var put = await HandleAsync(created, slot);

        Assert.Equal("FAILED", put.StatusField);
        Assert.Contains($"{unreachable}health was not healthy within {Fast.HealthTimeout}", put.ReasonField, StringComparison.Ordinal);
        Assert.InRange(watch.Elapsed, Fast.HealthTimeout, Fast.HealthTimeout + TimeSpan.FromSeconds(5));
        Assert.Equal("arn:aws:lambda:us-east-1:123456789012:function:nowhere:1", put.PhysicalIdField);
    }

    [Fact]
    public async Task HandleAsync_FunctionUnknownToLambda_RetriesThenPutsFailedWithRestatesMessage()
    {
        // restate-server answers a failed discovery with a 5xx; that is retried (think IAM still propagating), within a bound.
        var missing = LambdaArn.Qualified("never-deployed", "7");
        var slot = _fixture.ResponseUrls.NewUrl();
        var options = Fast with { RegistrationTimeout = TimeSpan.FromSeconds(4) };

        var put = await HandleAsync(CustomResourceEvents.Create(slot.Url, CustomResourceEvents.Properties(RestateAdmin, missing)), slot, options: options);

        _output.WriteLine(put.ReasonField);
        Assert.Equal("FAILED", put.StatusField);
        Assert.StartsWith($"Registering {missing} with Restate at {RestateAdmin}deployments kept failing for {options.RegistrationTimeout}", put.ReasonField, StringComparison.Ordinal);
        Assert.Contains("last error: HTTP 500 InternalServerError: [META0003]", put.ReasonField, StringComparison.Ordinal);
        Assert.Contains("Function not found", put.ReasonField, StringComparison.Ordinal);
        Assert.DoesNotContain(await _fixture.DeploymentsAsync(), deployment => deployment.Arn == missing);
    }

    [Theory]
    [InlineData(409, "{\"message\":\"[META0006] cannot update the deployment: the service EchoGreeter changed its type\"}",
        "HTTP 409 Conflict: [META0006] cannot update the deployment: the service EchoGreeter changed its type")]
    [InlineData(400, "bad request", "HTTP 400 BadRequest: bad request")]
    public async Task HandleAsync_RestateRefuses_PutsFailedAtOnceWithRestatesMessage(int status, string body, string expected)
    {
        await using var admin = await FakeAdminApi.StartAsync(status, body);
        var slot = _fixture.ResponseUrls.NewUrl();
        const string arn = "arn:aws:lambda:us-east-1:123456789012:function:trips:3";

        var put = await HandleAsync(CustomResourceEvents.Create(slot.Url, CustomResourceEvents.Properties(admin.BaseUri, arn)), slot);

        Assert.Equal(("FAILED", arn), (put.StatusField, put.PhysicalIdField));
        Assert.Equal($"Restate refused to register {arn}: {expected}", put.ReasonField);
        Assert.Equal(1, admin.Registrations);
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
    public async Task HandleAsync_InvalidProperty_PutsFailedNamingIt(string property, string? json, string expected)
    {
        var slot = _fixture.ResponseUrls.NewUrl();
        var properties = CustomResourceEvents.Properties(RestateAdmin, "arn:aws:lambda:us-east-1:123456789012:function:trips:3");
        properties[property] = json is null ? null : JsonNode.Parse(json);
        if (json is null)
        {
            properties.Remove(property);
        }

        var put = await HandleAsync(CustomResourceEvents.Create(slot.Url, properties), slot);

        Assert.Equal("FAILED", put.StatusField);
        Assert.Contains($"Property {expected}", put.ReasonField, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(put.PhysicalIdField));
    }

    [Fact]
    public async Task HandleAsync_NoResourceProperties_PutsFailed()
    {
        var slot = _fixture.ResponseUrls.NewUrl();
        var created = CustomResourceEvents.Create(slot.Url, []);
        created.Remove("ResourceProperties");

        var put = await HandleAsync(created, slot);

        Assert.Equal("FAILED", put.StatusField);
        Assert.Contains("no ResourceProperties", put.ReasonField, StringComparison.Ordinal);
        Assert.Equal($"TripsRegistration-{(string?)created["RequestId"]}", put.PhysicalIdField);
    }

    [Fact]
    public async Task HandleAsync_UpdateWithInvalidProperties_PutsFailedKeepingThePhysicalId()
    {
        var slot = _fixture.ResponseUrls.NewUrl();
        const string current = "arn:aws:lambda:us-east-1:123456789012:function:trips:3";
        var properties = CustomResourceEvents.Properties(RestateAdmin, current);
        var updated = CustomResourceEvents.Update(slot.Url, current, new JsonObject { ["AdminUrl"] = RestateAdmin.ToString() }, properties);

        var put = await HandleAsync(updated, slot);

        Assert.Equal(("FAILED", current), (put.StatusField, put.PhysicalIdField));
        Assert.Contains("DeploymentArn", put.ReasonField, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_UnknownRequestType_PutsFailed()
    {
        var slot = _fixture.ResponseUrls.NewUrl();
        var created = CustomResourceEvents.Create(slot.Url, CustomResourceEvents.Properties(RestateAdmin, "arn:aws:lambda:us-east-1:1:function:f:1"));
        created["RequestType"] = "Upsert";

        var put = await HandleAsync(created, slot);

        Assert.Equal("FAILED", put.StatusField);
        Assert.Contains("RequestType 'Upsert'", put.ReasonField, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_EventFieldOfWrongType_StillPutsFailed()
    {
        var slot = _fixture.ResponseUrls.NewUrl();
        var created = CustomResourceEvents.Create(slot.Url, CustomResourceEvents.Properties(RestateAdmin, "arn:aws:lambda:us-east-1:1:function:f:1"));
        created["ResourceProperties"] = "not an object";

        var put = await HandleAsync(created, slot);

        Assert.Equal("FAILED", put.StatusField);
        Assert.Contains("not a CloudFormation custom resource event", put.ReasonField, StringComparison.Ordinal);
        Assert.Equal((string?)created["RequestId"], (string?)put.Json["RequestId"]);
    }

    [Fact]
    public async Task HandleAsync_NoResponseUrl_ThrowsSinceNobodyCanBeAnswered()
    {
        var created = CustomResourceEvents.Create(new Uri("https://example.com/"), CustomResourceEvents.Properties(RestateAdmin, "arn:aws:lambda:us-east-1:1:function:f:1"));
        created.Remove("ResponseURL");
        using var http = RegistrarFunction.CreateHttpClient();
        var function = new RegistrarFunction(http, new UnusedTokenSource(), Fast);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => function.HandleAsync(CustomResourceEvents.Bytes(created), Context(), CancellationToken.None));

        Assert.Contains("ResponseURL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_TokenSourceFails_PutsFailedNamingAuthTokenParameter()
    {
        var slot = _fixture.ResponseUrls.NewUrl();
        var properties = CustomResourceEvents.Properties(RestateAdmin, "arn:aws:lambda:us-east-1:123456789012:function:trips:3");
        properties["AuthTokenParameter"] = "/aws/reference/secretsmanager/restate-token";

        var put = await HandleAsync(CustomResourceEvents.Create(slot.Url, properties), slot, tokens: new FailingTokenSource());

        Assert.Equal("FAILED", put.StatusField);
        Assert.Contains("SSM parameter /aws/reference/secretsmanager/restate-token (AuthTokenParameter)", put.ReasonField, StringComparison.Ordinal);
        Assert.Contains("not authorized to perform: ssm:GetParameter", put.ReasonField, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_HttpStackThrowsUnexpectedly_StillPutsFailed()
    {
        using var faulty = new RecordingHandler { ThrowOnPathSuffix = "/health" };
        var slot = _fixture.ResponseUrls.NewUrl();
        var created = CustomResourceEvents.Create(slot.Url, CustomResourceEvents.Properties(RestateAdmin, "arn:aws:lambda:us-east-1:123456789012:function:trips:3"));

        var put = await HandleAsync(created, slot, handler: faulty);

        Assert.Equal("FAILED", put.StatusField);
        Assert.Contains("InvalidDataException: simulated bug in the HTTP stack", put.ReasonField, StringComparison.Ordinal);
        Assert.Contains("waiting for Restate's admin API", put.ReasonField, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_AuthTokenParameter_SendsTheBearerTokenToTheAdminApiOnly()
    {
        const string token = "key_restate-cloud-secret";
        const string parameter = "/aws/reference/secretsmanager/restate-cloud-token";
        var arn = _fixture.AddEchoFunction("trips-token").Single();
        var tokens = new FixedTokenSource(token);
        using var recorder = new RecordingHandler();
        var slot = _fixture.ResponseUrls.NewUrl();
        var properties = CustomResourceEvents.Properties(RestateAdmin, arn);
        properties["AuthTokenParameter"] = parameter;

        var put = await HandleAsync(CustomResourceEvents.Create(slot.Url, properties), slot, tokens, recorder);

        Assert.Equal("SUCCESS", put.StatusField);
        Assert.Equal([parameter], tokens.Requested);
        var adminRequests = recorder.Sent.Where(request => request.Uri.Authority == RestateAdmin.Authority).ToList();
        Assert.Equal(["/health", "/deployments"], adminRequests.Select(request => request.Uri.AbsolutePath).Distinct());
        Assert.All(adminRequests, request => Assert.Equal($"Bearer {token}", request.Authorization));
        Assert.False(put.HasAuthorization);
        Assert.DoesNotContain(token, put.Json.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_ResponseUrlFailsTwice_RetriesThePut()
    {
        var slot = _fixture.ResponseUrls.NewUrl(failuresFirst: 2);
        var created = CustomResourceEvents.Create(slot.Url, []);

        var put = await HandleAsync(created, slot);

        Assert.Equal("FAILED", put.StatusField);
        Assert.Equal(3, slot.Attempts);
    }

    [Fact]
    public async Task HandleAsync_DeadlineTooClose_PutsFailedOutOfTime()
    {
        var slot = _fixture.ResponseUrls.NewUrl();
        var created = CustomResourceEvents.Create(slot.Url,
            CustomResourceEvents.Properties(RegistrarFixture.UnreachableUrl(), "arn:aws:lambda:us-east-1:123456789012:function:trips:3"));
        var patient = Fast with { HealthTimeout = TimeSpan.FromMinutes(5) };
        var watch = Stopwatch.StartNew();

        var put = await HandleAsync(created, slot, options: patient, deadline: DateTimeOffset.UtcNow + patient.ResponseReserve + TimeSpan.FromMilliseconds(500));

        Assert.Equal("FAILED", put.StatusField);
        Assert.StartsWith("Ran out of time while waiting for Restate's admin API", put.ReasonField, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task LambdaRuntime_CreateEventInTheEmulator_RegistersAndPutsSuccess()
    {
        // The registrar's own bootstrap (the JIT build of it) on the generic Lambda runtime loop, invoked by the emulator.
        var arn = _fixture.AddEchoFunction("trips-runtime").Single();
        var registrar = _fixture.Lambda.AddFunction(new LambdaFunctionDefinition
        {
            Name = "holiday-registrar",
            StartInfoFactory = LambdaFunctionDefinition.DotnetAssembly(Path.Combine(AppContext.BaseDirectory, "bootstrap.dll")),
            Timeout = TimeSpan.FromSeconds(60),
        });
        var slot = _fixture.ResponseUrls.NewUrl();
        var created = CustomResourceEvents.Create(slot.Url, CustomResourceEvents.Properties(RestateAdmin, arn));

        var result = await _fixture.Lambda.InvokeAsync(registrar.QualifiedArn, created.ToJsonString());
        var put = await slot.ReceivedAsync();

        Assert.True(result.FunctionError is null, result.Payload);
        Assert.Equal(put.Json.ToJsonString(), JsonNode.Parse(result.Payload)!.ToJsonString());
        Assert.Equal(("SUCCESS", arn), (put.StatusField, put.PhysicalIdField));
        Assert.Contains(((string)put.Json["Data"]!["DeploymentId"]!, arn), await _fixture.DeploymentsAsync());
        Assert.Contains(registrar.RecentLog, line => line.Contains($"Create TripsRegistration ({created["RequestId"]}): SUCCESS", StringComparison.Ordinal));
    }

    private static LambdaInvocationContext Context(DateTimeOffset? deadline = null) =>
        new(Guid.NewGuid().ToString(), deadline ?? DateTimeOffset.UtcNow.AddMinutes(5),
            "arn:aws:lambda:us-east-1:123456789012:function:holiday-registrar:1", null);

    /// <summary>Runs the handler in-process, then returns the PUT it made (which must equal what it returned).</summary>
    private static async Task<CapturedPut> HandleAsync(JsonObject customResourceEvent, ResponseSlot slot, IAuthTokenSource? tokens = null,
        HttpMessageHandler? handler = null, RegistrarOptions? options = null, DateTimeOffset? deadline = null)
    {
        using var http = handler is null
            ? RegistrarFunction.CreateHttpClient()
            : new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        var function = new RegistrarFunction(http, tokens ?? new UnusedTokenSource(), options ?? Fast);

        var returned = await function.HandleAsync(CustomResourceEvents.Bytes(customResourceEvent), Context(deadline), CancellationToken.None);

        Assert.True(slot.Received, "the handler returned before its PUT arrived");
        var put = await slot.ReceivedAsync();
        Assert.Equal(put.Body, returned.ToArray());
        return put;
    }
}

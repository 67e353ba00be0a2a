using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Restate.Sdk.Testing.Lambda;

namespace Restate.Sdk.Testing.Tests;

public sealed class LambdaEmulatorTests(ITestOutputHelper output)
{
    private static readonly string EchoAssembly =
        Path.Combine(AppContext.BaseDirectory, "Restate.Sdk.Testing.EchoFunction.dll");

    [Fact]
    public async Task InvokeAsync_Event_EchoesPayloadAfterOneColdStart()
    {
        await using var emulator = await StartEmulatorAsync();
        var function = emulator.AddFunction(Echo("echo"));

        var coldWatch = Stopwatch.StartNew();
        var result = await emulator.InvokeAsync(function.QualifiedArn, """{"hello":"world"}""");
        output.WriteLine($"cold invoke: {coldWatch.Elapsed.TotalMilliseconds:F0} ms");

        Assert.Equal(200, result.StatusCode);
        Assert.Null(result.FunctionError);
        Assert.Equal("""{"hello":"world"}""", result.Payload);
        Assert.Equal(1, function.InvocationCount);
        Assert.Equal(1, function.ColdStartCount);
        var invocation = Assert.Single(emulator.Invocations);
        Assert.Equal(LambdaInvocationStatus.Succeeded, invocation.Status);
        Assert.True(invocation.ColdStart);
        Assert.Equal(result.RequestId, invocation.RequestId);
        Assert.Equal(function.QualifiedArn, invocation.Arn);
        Assert.Equal("echo", invocation.FunctionName);
        Assert.Contains(function.RecentLog, line => line.Contains("echo function starting", StringComparison.Ordinal));
        Assert.Contains(function.RecentLog, line => line.Contains($"START RequestId: {invocation.RequestId}", StringComparison.Ordinal));
        await PollAsync(
            () => function.RecentLog.Any(line => line.Contains($"REPORT RequestId: {invocation.RequestId}", StringComparison.Ordinal)),
            "the REPORT line");
    }

    [Fact]
    public async Task InvokeAsync_SecondCall_ReusesWarmInstance()
    {
        await using var emulator = await StartEmulatorAsync();
        var function = emulator.AddFunction(Echo("warm"));

        var first = await InvokeContextAsync(emulator, function.QualifiedArn);
        var warm = new List<double>();
        JsonObject? last = null;
        for (var i = 0; i < 20; i++)
        {
            var watch = Stopwatch.StartNew();
            last = await InvokeContextAsync(emulator, function.QualifiedArn);
            warm.Add(watch.Elapsed.TotalMilliseconds);
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"warm invoke: median {warm.Order().ElementAt(warm.Count / 2):F2} ms, min {warm.Min():F2} ms, max {warm.Max():F2} ms"));
        Assert.Equal((int)first["pid"]!, (int)last!["pid"]!);
        Assert.Equal(21, function.InvocationCount);
        Assert.Equal(1, function.ColdStartCount);
        Assert.Single(function.ProcessIds);
        Assert.Equal(20, emulator.Invocations.Count(invocation => !invocation.ColdStart));
    }

    [Fact]
    public async Task InvokeAsync_TwoConcurrent_StartTwoInstances()
    {
        await using var emulator = await StartEmulatorAsync();
        var function = emulator.AddFunction(Echo("parallel"));
        const string Sleep = """{"mode":"sleep","ms":1500}""";

        var results = await Task.WhenAll(
            emulator.InvokeAsync(function.QualifiedArn, Sleep),
            emulator.InvokeAsync(function.QualifiedArn, Sleep));

        Assert.All(results, result => Assert.Null(result.FunctionError));
        Assert.Equal(2, function.ColdStartCount);
        Assert.Equal(2, function.ProcessIds.Count);
        var invocations = emulator.Invocations;
        Assert.Equal(2, invocations.Select(invocation => invocation.InstanceId).Distinct().Count());
        Assert.Equal(2, invocations.Select(invocation => invocation.ProcessId).Distinct().Count());
    }

    [Fact]
    public async Task InvokeAsync_FunctionPostsError_Returns200WithFunctionErrorAndStaysWarm()
    {
        await using var emulator = await StartEmulatorAsync();
        var function = emulator.AddFunction(Echo("failing"));
        using var client = new HttpClient();
        using var content = new StringContent("""{"mode":"error"}""", Encoding.UTF8, "application/json");

        using var response = await client.PostAsync(emulator.InvokeUri(function.QualifiedArn), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Unhandled", Assert.Single(response.Headers.GetValues("X-Amz-Function-Error")));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = await ReadObjectAsync(response);
        Assert.Equal("EchoError", (string?)error["errorType"]);
        Assert.Equal("error requested by the event", (string?)error["errorMessage"]);
        Assert.Equal(LambdaInvocationStatus.FunctionError, Assert.Single(emulator.Invocations).Status);

        var next = await emulator.InvokeAsync(function.QualifiedArn, "{}");
        Assert.Null(next.FunctionError);
        Assert.Equal(1, function.ColdStartCount);
    }

    [Fact]
    public async Task InvokeAsync_InitError_FailsWithPostedErrorAndDiscardsProcess()
    {
        await using var emulator = await StartEmulatorAsync();
        var function = emulator.AddFunction(Echo("broken") with
        {
            Environment = new Dictionary<string, string> { ["FAIL_INIT"] = "1" },
        });

        var result = await emulator.InvokeAsync(function.QualifiedArn, "{}");

        Assert.Equal(200, result.StatusCode);
        Assert.Equal("Unhandled", result.FunctionError);
        var error = Assert.IsType<JsonObject>(JsonNode.Parse(result.Payload));
        Assert.Equal("EchoInitError", (string?)error["errorType"]);
        Assert.Contains("FAIL_INIT=1", (string?)error["errorMessage"], StringComparison.Ordinal);
        var invocation = Assert.Single(emulator.Invocations);
        Assert.Equal(LambdaInvocationStatus.InitError, invocation.Status);
        await PollAsync(() => !TestSupport.ProcessExists(invocation.ProcessId), "the init-failed process to be gone");
        await PollAsync(() => function.ProcessIds.Count == 0, "the instance to be discarded");

        // The next invocation tries a fresh process, which fails the same way.
        var again = await emulator.InvokeAsync(function.QualifiedArn, "{}");
        Assert.Equal("Unhandled", again.FunctionError);
        Assert.Equal(2, function.ColdStartCount);
    }

    [Fact]
    public async Task InvokeAsync_ProcessExits_FailsWithExitErrorAndNextIsColdStart()
    {
        await using var emulator = await StartEmulatorAsync();
        var function = emulator.AddFunction(Echo("exiting"));

        var result = await emulator.InvokeAsync(function.QualifiedArn, """{"mode":"exit","code":3}""");

        Assert.Equal("Unhandled", result.FunctionError);
        var error = Assert.IsType<JsonObject>(JsonNode.Parse(result.Payload));
        Assert.Equal("Runtime.ExitError", (string?)error["errorType"]);
        Assert.Contains("exit status 3", (string?)error["errorMessage"], StringComparison.Ordinal);
        Assert.Equal(LambdaInvocationStatus.RuntimeExited, Assert.Single(emulator.Invocations).Status);
        await PollAsync(
            () => function.RecentLog.Any(line => line.Contains("exiting with code 3", StringComparison.Ordinal)),
            "the process's stderr line");

        var next = await emulator.InvokeAsync(function.QualifiedArn, "{}");
        Assert.Null(next.FunctionError);
        Assert.Equal(2, function.ColdStartCount);
    }

    [Fact]
    public async Task InvokeAsync_PastTimeout_FailsAndKillsInstance()
    {
        await using var emulator = await StartEmulatorAsync();
        var function = emulator.AddFunction(Echo("slow") with { Timeout = TimeSpan.FromSeconds(1) });

        var result = await emulator.InvokeAsync(function.QualifiedArn, """{"mode":"sleep","ms":60000}""");

        Assert.Equal("Unhandled", result.FunctionError);
        var error = Assert.IsType<JsonObject>(JsonNode.Parse(result.Payload));
        Assert.Equal("Sandbox.Timedout", (string?)error["errorType"]);
        Assert.Contains("Task timed out after 1.00 seconds", (string?)error["errorMessage"], StringComparison.Ordinal);
        var invocation = Assert.Single(emulator.Invocations);
        Assert.Equal(LambdaInvocationStatus.TimedOut, invocation.Status);
        Assert.InRange(invocation.Duration, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        await PollAsync(() => !TestSupport.ProcessExists(invocation.ProcessId), "the timed-out process to be killed");
        Assert.Empty(function.ProcessIds);
    }

    [Fact]
    public async Task InvokeAsync_UnknownArn_Returns404ResourceNotFound()
    {
        await using var emulator = await StartEmulatorAsync();
        emulator.AddFunction(Echo("known"));
        var arn = LambdaArn.Qualified("unknown", "1");
        using var client = new HttpClient();
        using var content = new StringContent("{}", Encoding.UTF8, "application/json");

        using var response = await client.PostAsync(emulator.InvokeUri(arn), content);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("ResourceNotFoundException", Assert.Single(response.Headers.GetValues("x-amzn-ErrorType")));
        var error = await ReadObjectAsync(response);
        Assert.Equal("User", (string?)error["Type"]);
        Assert.Equal($"Function not found: {arn}", (string?)error["message"]);
        Assert.Empty(emulator.Invocations);
    }

    [Fact]
    public async Task InvokeAsync_FunctionEnvironment_ReachesProcess()
    {
        await using var emulator = await StartEmulatorAsync();
        var function = emulator.AddFunction(Echo("configured") with
        {
            Version = "7",
            MemorySizeMb = 256,
            Environment = new Dictionary<string, string> { ["GREETING"] = "hello" },
        });

        var before = DateTimeOffset.UtcNow;
        var context = await InvokeContextAsync(emulator, function.QualifiedArn);

        var environment = Assert.IsType<JsonObject>(context["env"]);
        Assert.Equal("hello", (string?)environment["GREETING"]);
        Assert.Equal("configured", (string?)environment["AWS_LAMBDA_FUNCTION_NAME"]);
        Assert.Equal("7", (string?)environment["AWS_LAMBDA_FUNCTION_VERSION"]);
        Assert.Equal("256", (string?)environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]);
        Assert.Equal("us-east-1", (string?)environment["AWS_REGION"]);
        Assert.Equal("bootstrap", (string?)environment["_HANDLER"]);
        Assert.Equal(AppContext.BaseDirectory.TrimEnd('/'), ((string?)environment["LAMBDA_TASK_ROOT"])?.TrimEnd('/'));
        Assert.Matches(@"^127\.0\.0\.1:\d+$", (string?)environment["AWS_LAMBDA_RUNTIME_API"]);
        Assert.Equal("arn:aws:lambda:us-east-1:123456789012:function:configured:7", (string?)context["functionArn"]);
        Assert.StartsWith("Root=1-", (string?)context["traceId"], StringComparison.Ordinal);
        var deadline = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse((string)context["deadlineMs"]!, CultureInfo.InvariantCulture));
        Assert.InRange(deadline, before.AddSeconds(29), DateTimeOffset.UtcNow.AddSeconds(31));
        Assert.Equal(Assert.Single(emulator.Invocations).RequestId, (string?)context["requestId"]);
    }

    [Fact]
    public async Task InvokeAsync_ResponseOverPayloadLimit_FailsWithResponseSizeTooLarge()
    {
        await using var emulator = await StartEmulatorAsync(maxPayloadBytes: 1000);
        var function = emulator.AddFunction(Echo("chatty"));

        var result = await emulator.InvokeAsync(function.QualifiedArn, """{"mode":"big","bytes":5000}""");

        Assert.Equal("Unhandled", result.FunctionError);
        Assert.Equal("Function.ResponseSizeTooLarge", (string?)JsonNode.Parse(result.Payload)?["errorType"]);
        Assert.Equal(LambdaInvocationStatus.ResponseTooLarge, Assert.Single(emulator.Invocations).Status);
    }

    [Fact]
    public async Task DisposeAsync_RunningInstances_LeavesNoProcess()
    {
        var emulator = await StartEmulatorAsync();
        var function = emulator.AddFunction(Echo("disposed"));
        await Task.WhenAll(
            emulator.InvokeAsync(function.QualifiedArn, """{"mode":"sleep","ms":1000}"""),
            emulator.InvokeAsync(function.QualifiedArn, """{"mode":"sleep","ms":1000}"""));
        using var client = new HttpClient();
        using var content = new StringContent("""{"mode":"sleep","ms":60000}""", Encoding.UTF8, "application/json");
        var busy = client.PostAsync(emulator.InvokeUri(function.QualifiedArn), content);
        await PollAsync(() => function.RecentLog.Any(line => line.Contains("60000", StringComparison.Ordinal)), "the long event to arrive");
        var pids = function.ProcessIds;
        Assert.Equal(2, pids.Count);
        Assert.All(pids, pid => Assert.True(TestSupport.ProcessExists(pid)));

        await emulator.DisposeAsync();

        Assert.All(pids, pid => Assert.False(TestSupport.ProcessExists(pid), $"pid {pid} still exists"));
        using var aborted = await busy;
        Assert.Equal("Unhandled", Assert.Single(aborted.Headers.GetValues("X-Amz-Function-Error")));
        Assert.Contains(emulator.Invocations, invocation => invocation.Status == LambdaInvocationStatus.Aborted);
    }

    [Fact]
    public async Task RegisterLambdaAsync_EmulatedFunction_RegistersThroughDiscoveryInvocations()
    {
        await using var emulator = await StartEmulatorAsync();
        var function = emulator.AddFunction(Echo("restate-echo"));
        var environment = new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL_LAMBDA"] = emulator.EndpointUrl,
            ["AWS_ACCESS_KEY_ID"] = "x",
            ["AWS_SECRET_ACCESS_KEY"] = "x",
            ["AWS_REGION"] = "us-east-1",
        };
        await using var server = await RestateServer.StartAsync(TestSupport.Options(output, environment));

        var registering = Stopwatch.StartNew();
        var deploymentId = await server.RegisterLambdaAsync(function.QualifiedArn);
        output.WriteLine($"registered in {registering.ElapsedMilliseconds} ms");

        Assert.StartsWith("dp_", deploymentId, StringComparison.Ordinal);
        var service = await TestSupport.GetJsonAsync(server.Admin, "services/EchoGreeter");
        Assert.Equal("EchoGreeter", (string?)service["name"]);
        var deployment = await TestSupport.GetJsonAsync(server.Admin, $"deployments/{deploymentId}");
        Assert.Equal(function.QualifiedArn, (string?)deployment["arn"]);
        Assert.True(function.InvocationCount >= 1, $"{function.InvocationCount} invocations");
        Assert.Equal(1, function.ColdStartCount);
        Assert.All(emulator.Invocations, invocation =>
        {
            Assert.Equal(LambdaInvocationStatus.Succeeded, invocation.Status);
            Assert.Equal(function.QualifiedArn, invocation.Arn);
        });
        Assert.Contains(function.RecentLog, line => line.Contains("\"path\":\"/discover\"", StringComparison.Ordinal));
        output.WriteLine($"discovery invocations: {function.InvocationCount}");
    }

    private async Task<LambdaEmulator> StartEmulatorAsync(int maxPayloadBytes = 6 * 1024 * 1024) =>
        await LambdaEmulator.StartAsync(new LambdaEmulatorOptions { Log = output.WriteLine, MaxPayloadBytes = maxPayloadBytes });

    private static LambdaFunctionDefinition Echo(string name) =>
        new() { Name = name, StartInfoFactory = LambdaFunctionDefinition.DotnetAssembly(EchoAssembly) };

    private static async Task<JsonObject> InvokeContextAsync(LambdaEmulator emulator, string arn)
    {
        var result = await emulator.InvokeAsync(arn, """{"mode":"context"}""");
        Assert.True(result.FunctionError is null, result.Payload);
        return Assert.IsType<JsonObject>(JsonNode.Parse(result.Payload));
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpResponseMessage response) =>
        Assert.IsType<JsonObject>(JsonNode.Parse(await response.Content.ReadAsStringAsync()));

    private static async Task PollAsync(Func<bool> condition, string what)
    {
        var elapsed = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(15), $"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }
}

using System.Diagnostics;
using System.Text.Json.Nodes;
using Restate.Sdk.Testing.Lambda;

namespace Holiday.LambdaCost.Tests;

/// <summary>
/// <c>NodeRuntime/runtime.js</c>, the Runtime API loop the cost tool runs the original's handlers with, under the same
/// emulator, with small handlers written for each test.
/// </summary>
public sealed class RuntimeJsTests : IAsyncLifetime
{
    private static readonly string RuntimeScript = Path.Combine(AppContext.BaseDirectory, "NodeRuntime", "runtime.js");

    private readonly string _handlers = Directory.CreateTempSubdirectory("holiday-lambdacost-tests-").FullName;
    private readonly ReportLog _reports = new();
    private readonly List<string> _log = [];
    private LambdaEmulator _emulator = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(Path.Combine(_handlers, "echo.js"), """
            "use strict";
            let invocations = 0;
            exports.handler = async (event, context) => {
              invocations++;
              if (event.fail) throw new TypeError("asked to fail: " + event.fail);
              return {
                event,
                invocations,
                requestId: context.awsRequestId,
                functionName: context.functionName,
                memory: context.memoryLimitInMB,
                remainingPositive: context.getRemainingTimeInMillis() > 0,
              };
            };
            exports.nothing = async () => undefined;
            exports.notAFunction = 42;
            """);
        _emulator = await LambdaEmulator.StartAsync(new LambdaEmulatorOptions
        {
            Log = line =>
            {
                _reports.OnLine(line);
                lock (_log)
                {
                    _log.Add(line);
                }
            },
        });
    }

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        Directory.Delete(_handlers, recursive: true);
    }

    [Fact]
    public async Task Invoke_HandlerResult_IsTheResponseWithTheContextAndOneReportPerInvocation()
    {
        var function = _emulator.AddFunction(Node("echo", "echo.handler"));

        var first = await _emulator.InvokeAsync(function.QualifiedArn, """{"path":"/discover","n":1}""");
        var second = await _emulator.InvokeAsync(function.QualifiedArn, """{"n":2}""");

        Assert.True(first.FunctionError is null, first.Payload);
        var answer = Assert.IsType<JsonObject>(JsonNode.Parse(first.Payload));
        Assert.Equal("/discover", (string?)answer["event"]!["path"]);
        Assert.Equal(first.RequestId, (string?)answer["requestId"]);
        Assert.Equal("echo", (string?)answer["functionName"]);
        Assert.Equal("128", (string?)answer["memory"]);
        Assert.True((bool?)answer["remainingPositive"]);
        // The same process serves the second event: the handler module's state survives, as on Lambda.
        var again = Assert.IsType<JsonObject>(JsonNode.Parse(second.Payload));
        Assert.Equal(2, (int?)again["event"]!["n"]);
        Assert.Equal(2, (int?)again["invocations"]);
        Assert.Equal(1, function.ColdStartCount);
        Assert.Equal(2, function.InvocationCount);

        var coldReport = await _reports.GetAsync(first.RequestId!, CancellationToken.None);
        var warmReport = await _reports.GetAsync(second.RequestId!, CancellationToken.None);
        Assert.True(coldReport.InitMs > 0, "a cold start reports its Init Duration");
        Assert.Null(warmReport.InitMs);
        Assert.True(coldReport.DurationMs > 0);
        Assert.Equal(Math.Ceiling(warmReport.DurationMs), warmReport.BilledMs);
    }

    [Fact]
    public async Task Invoke_HandlerThrows_IsAFunctionErrorNamingTheErrorAndTheProcessStaysWarm()
    {
        var function = _emulator.AddFunction(Node("thrower", "echo.handler"));

        var failed = await _emulator.InvokeAsync(function.QualifiedArn, """{"fail":"on purpose"}""");
        var next = await _emulator.InvokeAsync(function.QualifiedArn, "{}");

        Assert.Equal("Unhandled", failed.FunctionError);
        var error = Assert.IsType<JsonObject>(JsonNode.Parse(failed.Payload));
        Assert.Equal("TypeError", (string?)error["errorType"]);
        Assert.Equal("asked to fail: on purpose", (string?)error["errorMessage"]);
        Assert.NotEmpty(Assert.IsType<JsonArray>(error["stackTrace"]));
        Assert.True(next.FunctionError is null, next.Payload);
        Assert.Equal(1, function.ColdStartCount);
        Assert.Equal([LambdaInvocationStatus.FunctionError, LambdaInvocationStatus.Succeeded],
            _emulator.Invocations.Select(invocation => invocation.Status));
    }

    [Fact]
    public async Task Invoke_HandlerReturnsNothing_AnswersJsonNull()
    {
        var function = _emulator.AddFunction(Node("nothing", "echo.nothing"));

        var result = await _emulator.InvokeAsync(function.QualifiedArn, "{}");

        Assert.True(result.FunctionError is null, result.Payload);
        Assert.Equal("null", result.Payload);
    }

    [Theory]
    [InlineData("echo.notAFunction", "exports no function 'notAFunction'")]
    [InlineData("missing.handler", "Cannot find module")]
    public async Task Invoke_HandlerCannotBeLoaded_IsAnInitError(string handler, string message)
    {
        var function = _emulator.AddFunction(Node("broken", handler));

        var result = await _emulator.InvokeAsync(function.QualifiedArn, "{}");

        Assert.Equal("Unhandled", result.FunctionError);
        var error = Assert.IsType<JsonObject>(JsonNode.Parse(result.Payload));
        Assert.Contains(message, (string?)error["errorMessage"], StringComparison.Ordinal);
        Assert.Equal(LambdaInvocationStatus.InitError, Assert.Single(_emulator.Invocations).Status);
    }

    private LambdaFunctionDefinition Node(string name, string handler) => new()
    {
        Name = name,
        Handler = handler,
        StartInfoFactory = () => new ProcessStartInfo("node") { ArgumentList = { RuntimeScript }, WorkingDirectory = _handlers },
        TaskRoot = _handlers,
    };
}

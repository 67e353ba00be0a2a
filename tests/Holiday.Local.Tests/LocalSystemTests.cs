using System.Net;
using System.Net.Sockets;
using Holiday.Hosting;
using Restate.Sdk.Testing;
using Restate.Sdk.Testing.Otlp;

namespace Holiday.Local.Tests;

/// <summary>The ./dev run tool: what it starts answers the curl lines it prints, and bad options or taken ports fail clearly.</summary>
public sealed class LocalSystemTests
{
    [Fact]
    public async Task StartAsync_FreePorts_AnswersThePrintedCurlTargets()
    {
        LocalRunOptions? options = null;
        await using var system = await FreePortStart.StartAsync(() => options = new LocalRunOptions(FreePortStart.Port(), FreePortStart.Port(), FreePortStart.Port(), AnyDynamoDbPort));

        await AssertHolidayWorksAsync(system);
        Assert.All(system.CurlLines(), line => Assert.Contains($"127.0.0.1:{options!.IngressPort}/", line, StringComparison.Ordinal));
        Assert.Contains(system.CurlLines(), line => line.Contains("\"run_type\":\"failNotification\"", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task StartAsync_WithLocalStack_AnswersThePrintedCurlTargets()
    {
        Skip.IfNot(LocalDynamoDb.DockerIsAvailable(), "LocalStack runs in Docker, and no Docker engine is reachable on this machine.");
        await using var system = await FreePortStart.StartAsync(() => new LocalRunOptions(FreePortStart.Port(), FreePortStart.Port(), FreePortStart.Port(), AnyDynamoDbPort, UseLocalStack: true));

        await AssertHolidayWorksAsync(system);
        Assert.StartsWith("LocalStack", system.DynamoDbDescription, StringComparison.Ordinal);
        using var sqs = HolidayAws.CreateSqsClient(system.DynamoDbEndpoint);
        var received = await sqs.ReceiveMessageAsync(new Amazon.SQS.Model.ReceiveMessageRequest
        {
            QueueUrl = system.NotificationsQueueUrl,
            MaxNumberOfMessages = 10,
            WaitTimeSeconds = 5,
        });
        Assert.Contains(received.Messages, m => m.Body == "Your Travel Reservation is Successful");
        Assert.Contains(received.Messages, m => m.Body == "Your Travel Reservation Failed");
    }

    [SkippableFact]
    public async Task StartAsync_LocalStackWithoutDocker_FailsSayingDockerIsNeeded()
    {
        Skip.If(LocalDynamoDb.DockerIsAvailable(), "A Docker engine is reachable, so LocalStack would start.");
        var options = new LocalRunOptions(FreePortStart.Port(), FreePortStart.Port(), FreePortStart.Port(), AnyDynamoDbPort, UseLocalStack: true);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => LocalSystem.StartAsync(options, _ => { }, CancellationToken.None));

        Assert.Contains("--localstack needs a Docker engine", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("service")]
    [InlineData("ingress")]
    [InlineData("dynamodb")]
    public async Task StartAsync_PortTaken_FailsNamingThePort(string role)
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var options = role switch
        {
            "service" => new LocalRunOptions(FreePortStart.Port(), FreePortStart.Port(), port, FreePortStart.Port()),
            "ingress" => new LocalRunOptions(port, FreePortStart.Port(), FreePortStart.Port(), FreePortStart.Port()),
            _ => new LocalRunOptions(FreePortStart.Port(), FreePortStart.Port(), FreePortStart.Port(), port),
        };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => LocalSystem.StartAsync(options, _ => { }, CancellationToken.None));

        Assert.Contains($"{role} port {port} is already in use", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--ingress-port", "http" }, "Option --ingress-port needs a port number from 1 to 65535, not 'http'.")]
    [InlineData(new[] { "--admin-port", "70000" }, "Option --admin-port needs a port number from 1 to 65535, not '70000'.")]
    [InlineData(new[] { "--service-port" }, "--service-port")]
    [InlineData(new[] { "--verbose" }, "'--verbose'")]
    [InlineData(new[] { "--dynamodb-port", "8080" }, "ports must all differ")]
    [InlineData(new[] { "--otlp-endpoint" }, "--otlp-endpoint")]
    [InlineData(new[] { "--otlp-endpoint", "127.0.0.1:4317" }, "Option --otlp-endpoint must be an absolute http:// or https:// URL")]
    [InlineData(new[] { "--otlp-endpoint", "ftp://127.0.0.1:4317" }, "not 'ftp://127.0.0.1:4317'")]
    public void CommandLine_BadArguments_ExitsWith2AndAnErrorNamingTheOption(string[] args, string message)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = LocalRunOptions.HelpOrErrors(LocalRunOptions.Parse(args), output, error);

        Assert.Equal(2, exitCode);
        var firstLine = error.ToString().Split('\n')[0];
        Assert.StartsWith("error: ", firstLine, StringComparison.Ordinal);
        Assert.Contains(message, firstLine, StringComparison.Ordinal);
    }

    [Fact]
    public void CommandLine_Help_ListsEveryOptionAndExitsWith0()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = LocalRunOptions.HelpOrErrors(LocalRunOptions.Parse(["--help"]), output, error);

        Assert.Equal(0, exitCode);
        Assert.Empty(error.ToString());
        foreach (var option in new[] { "--ingress-port", "--admin-port", "--service-port", "--dynamodb-port", "--localstack", "--lambda", "--otlp-endpoint" })
        {
            Assert.Contains(option, output.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void CommandLine_OtlpEndpoint_IsKept()
    {
        var options = ParseGood("--otlp-endpoint", "http://127.0.0.1:4317", "--lambda");

        Assert.Equal(new Uri("http://127.0.0.1:4317"), options.OtlpEndpoint);
        Assert.True(options.UseLambda);
    }

    [Fact]
    public async Task StartAsync_OtlpEndpoint_ServerAndServicesSendOneTracePerTrip()
    {
        await using var receiver = await OtlpTraceReceiver.StartAsync();
        await using var system = await FreePortStart.StartAsync(() => new LocalRunOptions(FreePortStart.Port(), FreePortStart.Port(), FreePortStart.Port(), AnyDynamoDbPort, OtlpEndpoint: receiver.Endpoint));
        using var http = new HttpClient { BaseAddress = system.IngressUri };

        var response = await http.PostJsonAsync("/trips/reserve", "{}");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var invocationId = response.InvocationId;
        var ingress = await receiver.WaitForSpanAsync(
            span => span.ServiceName == "Restate" && span.StringAttribute("restate.invocation.id") == invocationId, TimeSpan.FromSeconds(90));
        await receiver.WaitForSpanAsync(
            span => span.TraceId == ingress.TraceId && span.ServiceName == "holiday-host" && span.Name == "attempt trips/reserve",
            TimeSpan.FromSeconds(90));
    }

    [Fact]
    public void CommandLine_NoArguments_UsesTheDocumentedDefaults()
    {
        Assert.Equal(new LocalRunOptions(8080, 9070, 9080, 8000, UseLocalStack: false, UseLambda: false), ParseGood());
    }

    [Fact]
    public void CommandLine_LambdaFlag_SelectsTheLambdaPath()
    {
        var options = ParseGood("--lambda", "--service-port", "9999");

        Assert.True(options.UseLambda);
        Assert.Equal(9999, options.ServicePort);
    }

    [Fact]
    public void CommandLine_ProtocolV7Flag_TurnsOnTheServersV7Switch()
    {
        Assert.False(ParseGood().ProtocolV7);
        Assert.True(ParseGood("--protocol-v7").ProtocolV7);
    }

    [Fact]
    public void CommandLine_LocalStackFlag_SelectsLocalStack()
    {
        Assert.True(ParseGood("--localstack").UseLocalStack);
    }

    private static LocalRunOptions ParseGood(params string[] args)
    {
        var parsed = LocalRunOptions.Parse(args);
        Assert.Empty(parsed.Errors);
        Assert.Null(parsed.Action);
        return LocalRunOptions.From(parsed);
    }

    private static async Task AssertHolidayWorksAsync(LocalSystem system)
    {
        using var http = new HttpClient { BaseAddress = system.IngressUri };
        var booked = await http.PostJsonAsync("/trips/reserve", "{\"trip_id\":\"trip-local\"}");
        var failed = await http.PostJsonAsync("/trips/reserve", "{\"run_type\":\"failPayment\"}");

        Assert.Equal("{\"status\":\"success\",\"trip_id\":\"trip-local\"}", booked.Body);
        Assert.Equal(HttpStatusCode.InternalServerError, failed.Status);
        Assert.EndsWith("successfully applied 3 compensations", failed.ErrorMessage, StringComparison.Ordinal);
    }

    /// <summary>Port 0: DynamoDB Local gets a free port and retries with another if a parallel test takes it first.</summary>
    private const int AnyDynamoDbPort = 0;
}

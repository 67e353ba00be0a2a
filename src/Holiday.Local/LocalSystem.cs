using System.Net;
using System.Net.Sockets;
using Holiday.Host;
using Holiday.Hosting;
using Holiday.Services;
using Microsoft.AspNetCore.Builder;
using Restate.Sdk.Testing;
using Restate.Sdk.Testing.Lambda;

namespace Holiday.Local;

/// <summary>
/// Everything the local run starts: DynamoDB (Local or LocalStack) with the four tables, restate-server, the Holiday
/// services (the HTTP/2 host on loopback, or with --lambda the AOT bootstrap in the Lambda emulator) and their
/// registration. Disposing stops exactly what was started, in reverse order.
/// </summary>
internal sealed class LocalSystem : IAsyncDisposable
{
    private readonly LocalDynamoDb _dynamoDb;
    private readonly RestateServer _server;
    private readonly WebApplication? _host;
    private readonly LambdaEmulator? _lambda;

    private LocalSystem(LocalDynamoDb dynamoDb, RestateServer server, WebApplication? host, LambdaEmulator? lambda, Uri servicesUri)
    {
        _dynamoDb = dynamoDb;
        _server = server;
        _host = host;
        _lambda = lambda;
        ServicesUri = servicesUri;
    }

    /// <summary>With <c>--lambda</c>: the emulator running the functions (invocation counts, function logs).</summary>
    public LambdaEmulator? Lambda => _lambda;

    public RestateServer Server => _server;

    public Uri IngressUri => _server.IngressUri;

    public Uri AdminUri => _server.AdminUri;

    public Uri ServicesUri { get; }

    public string DynamoDbDescription => _dynamoDb.Description;

    public Uri DynamoDbEndpoint => _dynamoDb.Endpoint;

    public DynamoDbLocal? DynamoDbLocal => _dynamoDb.DynamoDbLocal;

    public string? NotificationsQueueUrl => _dynamoDb.NotificationsQueueUrl;

    public static async Task<LocalSystem> StartAsync(LocalRunOptions options, Action<string> log, CancellationToken cancellation)
    {
        EnsurePortFree(options.ServicePort, "service");
        if (!options.UseLocalStack && options.DynamoDbPort != 0)
        {
            EnsurePortFree(options.DynamoDbPort, "dynamodb");
        }
        await using var started = new StartedParts();
        log(options.UseLocalStack ? "Starting LocalStack…" : "Starting DynamoDB Local…");
        started.DynamoDb = await LocalDynamoDb.StartAsync(options, cancellation);
        using (var client = HolidayAws.CreateDynamoDbClient(started.DynamoDb.Endpoint))
        {
            log("Creating the Flights, Cars, Payments and Trips tables…");
            await HolidayTables.CreateAsync(client, TableNames.Default, cancellation);
        }
        if (options.UseLambda)
        {
            var bootstrap = await LambdaBootstrap.EnsurePublishedAsync(log, cancellation);
            log("Starting the Lambda emulator with the functions holiday-trips, holiday-flights, holiday-cars, holiday-payments…");
            started.Lambda = await LambdaEmulator.StartAsync(new LambdaEmulatorOptions { Port = options.ServicePort }, cancellation);
            foreach (var function in HolidayServices.FunctionNames)
            {
                started.Lambda.AddFunction(new LambdaFunctionDefinition
                {
                    Name = $"holiday-{function}",
                    ExecutablePath = bootstrap,
                    Environment = FunctionEnvironment(function, started.DynamoDb.Endpoint, started.DynamoDb.NotificationsQueueUrl,
                        options.OtlpEndpoint),
                });
            }
        }
        log("Starting restate-server…");
        var serverEnvironment = new Dictionary<string, string>(started.Lambda?.ClientEnvironment ?? new Dictionary<string, string>());
        if (options.OtlpEndpoint is { } otlp)
        {
            // restate-server exports its traces over OTLP/gRPC, and sends each attempt a traceparent only when it does.
            serverEnvironment["RESTATE_TRACING_ENDPOINT"] = otlp.ToString();
        }
        if (options.ProtocolV7)
        {
            serverEnvironment[RestateServerOptions.ProtocolV7Variable] = "true";
        }
        started.Server = await RestateServer.StartAsync(new RestateServerOptions
        {
            IngressPort = options.IngressPort,
            AdminPort = options.AdminPort,
            Environment = serverEnvironment,
        }, cancellation);
        if (started.Lambda is { } lambda)
        {
            foreach (var function in lambda.Functions)
            {
                log($"Registering {function.Definition.QualifiedArn} with restate-server…");
                await started.Server.RegisterLambdaAsync(function.Definition.QualifiedArn, cancellation);
            }
            return started.Keep(lambda.Endpoint);
        }
        log("Starting the Holiday services…");
        started.Host = HolidayHost.Build(new HostSettings(IPAddress.Loopback, options.ServicePort, null, [], options.OtlpEndpoint),
            HolidayAws.CreateLocalDependencies(started.DynamoDb.Endpoint, started.DynamoDb.NotificationsQueueUrl));
        await started.Host.StartAsync(cancellation);
        var servicesUri = new Uri($"http://127.0.0.1:{options.ServicePort}/");
        log($"Registering {servicesUri} with restate-server…");
        await started.Server.RegisterDeploymentAsync(servicesUri, ct: cancellation);
        return started.Keep(servicesUri);
    }

    /// <summary>
    /// A function's configuration, as CDK would set it: its service, the tables' endpoint, the queue, and the OTLP/gRPC
    /// collector its traces go to (if any).
    /// </summary>
    internal static Dictionary<string, string> FunctionEnvironment(string function, Uri dynamoDbEndpoint, string? notificationsQueueUrl,
        Uri? otlpEndpoint = null)
    {
        var variables = new Dictionary<string, string>
        {
            ["HOLIDAY_SERVICE"] = function,
            ["AWS_ENDPOINT_URL_DYNAMODB"] = dynamoDbEndpoint.ToString(),
            ["AWS_ENDPOINT_URL_SQS"] = dynamoDbEndpoint.ToString(),
            ["AWS_ACCESS_KEY_ID"] = "local",
            ["AWS_SECRET_ACCESS_KEY"] = "local",
        };
        if (notificationsQueueUrl is not null)
        {
            variables["NOTIFICATIONS_QUEUE_URL"] = notificationsQueueUrl;
        }
        if (otlpEndpoint is not null)
        {
            variables[HolidayTelemetry.EndpointVariable] = otlpEndpoint.ToString();
            variables["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc";
        }
        return variables;
    }

    /// <summary>The lines a user pastes to try the system.</summary>
    public IEnumerable<string> CurlLines()
    {
        var ingress = IngressUri.ToString().TrimEnd('/');
        yield return $"curl {ingress}/trips/reserve --json '{{}}'";
        yield return $"curl {ingress}/trips/reserve --json '{{\"trip_id\":\"trip-1\"}}'";
        foreach (var runType in Domain.RunTypeNames.All)
        {
            yield return $"curl {ingress}/trips/reserve --json '{{\"run_type\":\"{runType}\"}}'";
        }
        yield return $"curl {ingress}/trips/reserve -H 'idempotency-key: my-key' --json '{{\"trip_id\":\"trip-2\"}}'   # twice: one saga, same answer";
        yield return $"curl {ingress}/trips/reserve/send --json '{{}}'   # answers {{\"invocationId\":\"inv_…\"}}";
        yield return $"curl {ingress}/restate/invocation/<invocationId>/attach";
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            await _host.DisposeAsync();
        }
        await _server.DisposeAsync();
        if (_lambda is not null)
        {
            await _lambda.DisposeAsync();
        }
        await _dynamoDb.DisposeAsync();
    }

    private static void EnsurePortFree(int port, string role)
    {
        try
        {
            using var probe = new TcpListener(IPAddress.Any, port);
            probe.Start();
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new InvalidOperationException($"The {role} port {port} is already in use; stop what uses it or pass --{role}-port.", e);
        }
    }

    /// <summary>What a failed start has to stop again; handed over to the <see cref="LocalSystem"/> once all is up.</summary>
    private sealed class StartedParts : IAsyncDisposable
    {
        public LocalDynamoDb? DynamoDb { get; set; }

        public RestateServer? Server { get; set; }

        public WebApplication? Host { get; set; }

        public LambdaEmulator? Lambda { get; set; }

        public LocalSystem Keep(Uri servicesUri)
        {
            var system = new LocalSystem(DynamoDb!, Server!, Host, Lambda, servicesUri);
            DynamoDb = null;
            Server = null;
            Host = null;
            Lambda = null;
            return system;
        }

        public async ValueTask DisposeAsync()
        {
            if (Host is not null)
            {
                await Host.DisposeAsync();
            }
            if (Server is not null)
            {
                await Server.DisposeAsync();
            }
            if (Lambda is not null)
            {
                await Lambda.DisposeAsync();
            }
            if (DynamoDb is not null)
            {
                await DynamoDb.DisposeAsync();
            }
        }
    }
}

using System.Net;
using System.Net.Sockets;
using Holiday.Host;
using Microsoft.AspNetCore.Builder;
using Restate.Sdk.Testing;

namespace Holiday.Local;

/// <summary>
/// Everything the local run starts: DynamoDB (Local or LocalStack) with the four tables, restate-server, the Holiday
/// host (HTTP/2 on loopback) and its registration. Disposing stops exactly what was started, in reverse order.
/// </summary>
internal sealed class LocalSystem : IAsyncDisposable
{
    private readonly LocalDynamoDb _dynamoDb;
    private readonly RestateServer _server;
    private readonly WebApplication _host;

    private LocalSystem(LocalDynamoDb dynamoDb, RestateServer server, WebApplication host, Uri servicesUri)
    {
        _dynamoDb = dynamoDb;
        _server = server;
        _host = host;
        ServicesUri = servicesUri;
    }

    public Uri IngressUri => _server.IngressUri;

    public Uri AdminUri => _server.AdminUri;

    public Uri ServicesUri { get; }

    public string DynamoDbDescription => _dynamoDb.Description;

    public Uri DynamoDbEndpoint => _dynamoDb.Endpoint;

    public string? NotificationsQueueUrl => _dynamoDb.NotificationsQueueUrl;

    public static async Task<LocalSystem> StartAsync(LocalRunOptions options, Action<string> log, CancellationToken cancellation)
    {
        EnsurePortFree(options.ServicePort, "service");
        if (!options.UseLocalStack)
        {
            EnsurePortFree(options.DynamoDbPort, "dynamodb");
        }
        await using var started = new StartedParts();
        log(options.UseLocalStack ? "Starting LocalStack…" : "Starting DynamoDB Local…");
        started.DynamoDb = await LocalDynamoDb.StartAsync(options, cancellation);
        var environment = AwsEnvironment(started.DynamoDb.Endpoint, started.DynamoDb.NotificationsQueueUrl);
        using (var client = HolidayEnvironment.CreateDynamoDbClient(environment))
        {
            log("Creating the Flights, Cars, Payments and Trips tables…");
            await HolidayTables.CreateAsync(client, TableNames.Default, cancellation);
        }
        log("Starting restate-server…");
        started.Server = await RestateServer.StartAsync(new RestateServerOptions
        {
            IngressPort = options.IngressPort,
            AdminPort = options.AdminPort,
        }, cancellation);
        log("Starting the Holiday services…");
        started.Host = HolidayHost.Build(new HostSettings(IPAddress.Loopback, options.ServicePort, null, []),
            HolidayEnvironment.CreateDependencies(environment));
        await started.Host.StartAsync(cancellation);
        var servicesUri = new Uri($"http://127.0.0.1:{options.ServicePort}/");
        log($"Registering {servicesUri} with restate-server…");
        await started.Server.RegisterDeploymentAsync(servicesUri, ct: cancellation);
        return started.Keep(servicesUri);
    }

    /// <summary>The environment the services get: the local endpoint and dummy credentials, as on a laptop.</summary>
    public static Func<string, string?> AwsEnvironment(Uri dynamoDbEndpoint, string? notificationsQueueUrl = null)
    {
        var variables = new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL_DYNAMODB"] = dynamoDbEndpoint.ToString(),
            ["AWS_ENDPOINT_URL_SQS"] = dynamoDbEndpoint.ToString(),
            ["AWS_REGION"] = "us-east-1",
            ["AWS_ACCESS_KEY_ID"] = "local",
            ["AWS_SECRET_ACCESS_KEY"] = "local",
        };
        if (notificationsQueueUrl is not null)
        {
            variables["NOTIFICATIONS_QUEUE_URL"] = notificationsQueueUrl;
        }
        return name => variables.GetValueOrDefault(name) ?? Environment.GetEnvironmentVariable(name);
    }

    /// <summary>The lines a user pastes to try the system.</summary>
    public IEnumerable<string> CurlLines()
    {
        var ingress = IngressUri.ToString().TrimEnd('/');
        yield return $"curl {ingress}/trips/reserve --json '{{}}'";
        yield return $"curl {ingress}/trips/reserve --json '{{\"trip_id\":\"trip-1\"}}'";
        foreach (var runType in Domain.RunTypes.Names)
        {
            yield return $"curl {ingress}/trips/reserve --json '{{\"run_type\":\"{runType}\"}}'";
        }
        yield return $"curl {ingress}/trips/reserve -H 'idempotency-key: my-key' --json '{{\"trip_id\":\"trip-2\"}}'   # twice: one saga, same answer";
        yield return $"curl {ingress}/trips/reserve/send --json '{{}}'   # answers {{\"invocationId\":\"inv_…\"}}";
        yield return $"curl {ingress}/restate/invocation/<invocationId>/attach";
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        await _host.DisposeAsync();
        await _server.DisposeAsync();
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

        public LocalSystem Keep(Uri servicesUri)
        {
            var system = new LocalSystem(DynamoDb!, Server!, Host!, servicesUri);
            DynamoDb = null;
            Server = null;
            Host = null;
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
            if (DynamoDb is not null)
            {
                await DynamoDb.DisposeAsync();
            }
        }
    }
}

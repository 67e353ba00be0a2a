using Amazon.Runtime;
using Amazon.SQS;
using DotNet.Testcontainers.Configurations;
using Testcontainers.LocalStack;

namespace Holiday.Local;

/// <summary>Where the local run keeps its tables: Amazon's DynamoDB Local, or LocalStack in Docker.</summary>
internal sealed class LocalDynamoDb : IAsyncDisposable
{
    private readonly DynamoDbLocal? _dynamoDbLocal;
    private readonly LocalStackContainer? _localStack;

    private LocalDynamoDb(Uri endpoint, string description, DynamoDbLocal? dynamoDbLocal, LocalStackContainer? localStack,
        string? notificationsQueueUrl = null)
    {
        Endpoint = endpoint;
        NotificationsQueueUrl = notificationsQueueUrl;
        Description = description;
        _dynamoDbLocal = dynamoDbLocal;
        _localStack = localStack;
    }

    public Uri Endpoint { get; }

    /// <summary>The DynamoDB Local process, when that is what runs (tests stop and restart it to simulate outages).</summary>
    public DynamoDbLocal? DynamoDbLocal => _dynamoDbLocal;

    public string Description { get; }

    /// <summary>With LocalStack, an SQS queue for the traveller notifications; null with DynamoDB Local (no SQS there).</summary>
    public string? NotificationsQueueUrl { get; }

    public static async Task<LocalDynamoDb> StartAsync(LocalRunOptions options, CancellationToken cancellation)
    {
        if (!options.UseLocalStack)
        {
            var local = await DynamoDbLocal.StartAsync(new DynamoDbLocalOptions { Port = options.DynamoDbPort }, cancellation);
            return new LocalDynamoDb(local.Endpoint, $"Amazon DynamoDB Local on {local.Endpoint}", local, null);
        }
        if (!DockerIsAvailable())
        {
            throw new InvalidOperationException(
                "--localstack needs a Docker engine, and none is reachable (DOCKER_HOST or /var/run/docker.sock). Run without --localstack to use DynamoDB Local.");
        }
        var container = new LocalStackBuilder("localstack/localstack:4").Build();
        await container.StartAsync(cancellation);
        var endpoint = new Uri(container.GetConnectionString());
        using var sqs = new AmazonSQSClient(new BasicAWSCredentials("local", "local"),
            new AmazonSQSConfig { ServiceURL = endpoint.ToString(), AuthenticationRegion = "us-east-1" });
        var queue = await sqs.CreateQueueAsync("holiday-notifications", cancellation);
        return new LocalDynamoDb(endpoint, $"LocalStack (Docker) on {endpoint}", null, container, queue.QueueUrl);
    }

    /// <summary>A cheap check that does not start anything: Testcontainers found a Docker endpoint.</summary>
    public static bool DockerIsAvailable()
    {
        try
        {
            return TestcontainersSettings.OS.DockerEndpointAuthConfig is not null;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_dynamoDbLocal is not null)
        {
            await _dynamoDbLocal.DisposeAsync();
        }
        if (_localStack is not null)
        {
            await _localStack.DisposeAsync();
        }
    }
}

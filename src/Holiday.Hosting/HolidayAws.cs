using System.Security.Cryptography;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.DynamoDBv2.Model.Internal.MarshallTransformations;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.SQS;
using Holiday.Data;
using Holiday.Services;

namespace Holiday.Hosting;

/// <summary>
/// Builds the services' dependencies. In a process of its own (Lambda, the HTTP host) the AWS SDK reads the standard
/// variables itself: region (<c>AWS_REGION</c>), credentials (<c>AWS_ACCESS_KEY_ID</c>, … or the usual chain) and a
/// local endpoint (<c>AWS_ENDPOINT_URL_DYNAMODB</c>, <c>AWS_ENDPOINT_URL_SQS</c>, <c>AWS_ENDPOINT_URL</c>); table names
/// come from <c>*_TABLE_NAME</c>, notifications go out when <c>NOTIFICATIONS_QUEUE_URL</c> is set. The local run and
/// the tests host the services inside a process that runs other systems too, so they name their endpoint in code.
/// </summary>
public static class HolidayAws
{
    /// <summary>The region the clients of a local endpoint sign for; DynamoDB Local and LocalStack accept any.</summary>
    public const string LocalRegion = "us-east-1";

    /// <summary>Stores and notifier from the environment, as on AWS.</summary>
    public static HolidayDependencies CreateDependencies(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        var queueUrl = getVariable("NOTIFICATIONS_QUEUE_URL");
        return Create(CreateDynamoDbClient(), TableNames.FromEnvironment(getVariable),
            string.IsNullOrEmpty(queueUrl) ? NoNotifier.Instance : new SqsNotifier(CreateSqsClient(), queueUrl));
    }

    /// <summary>Stores on a local DynamoDB (Local or LocalStack) with the default table names, and SQS there when a queue is given.</summary>
    public static HolidayDependencies CreateLocalDependencies(Uri endpoint, string? notificationsQueueUrl = null) =>
        Create(CreateDynamoDbClient(endpoint), TableNames.Default,
            notificationsQueueUrl is null ? NoNotifier.Instance : new SqsNotifier(CreateSqsClient(endpoint), notificationsQueueUrl));

    /// <summary>A DynamoDB client configured by the environment, or for <paramref name="localEndpoint"/> with dummy credentials.</summary>
    public static AmazonDynamoDBClient CreateDynamoDbClient(Uri? localEndpoint = null)
    {
        var config = Configure(new AmazonDynamoDBConfig(), localEndpoint);
        return localEndpoint is null ? new AmazonDynamoDBClient(config) : new AmazonDynamoDBClient(LocalCredentials, config);
    }

    /// <summary>An SQS client configured by the environment, or for <paramref name="localEndpoint"/> with dummy credentials.</summary>
    public static AmazonSQSClient CreateSqsClient(Uri? localEndpoint = null)
    {
        var config = Configure(new AmazonSQSConfig(), localEndpoint);
        return localEndpoint is null ? new AmazonSQSClient(config) : new AmazonSQSClient(LocalCredentials, config);
    }

    /// <summary>
    /// Does, without a network request, the one-time work of a process's first DynamoDB request that does not depend on
    /// the answer: loads the crypto library the request signature uses (HMAC-SHA256, SHA-256), resolves the credentials
    /// (when the environment holds them, as on Lambda) and the endpoint, and runs the request marshallers of the writes
    /// the stores make (<c>PutItem</c>, <c>UpdateItem</c>). For a Lambda function's init phase, so that its first
    /// invocation does not pay for it; a few milliseconds of CPU, and nothing else changes (no request is sent, nothing
    /// is cached that the environment could change later). Failures are ignored: the first real request then does the
    /// work and reports any problem, as it does without a warm-up.
    /// </summary>
    public static void WarmUp()
    {
        try
        {
            Span<byte> hash = stackalloc byte[32];
            HMACSHA256.HashData([1], [1], hash);
            SHA256.HashData([1], hash);
            using var client = CreateDynamoDbClient();
            // Only from the environment, as Lambda provides them: elsewhere the chain may ask an instance-metadata
            // service over the network, which a warm-up must not do.
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID")))
            {
                DefaultAWSCredentialsIdentityResolver.GetCredentials(client.Config)?.GetCredentials();
            }
            var table = TableNames.Default.Flights;
            var item = new Dictionary<string, AttributeValue> { ["pk"] = new() { S = "warm-up" }, ["sk"] = new() { S = "warm-up" } };
            var put = new PutItemRequest { TableName = table, Item = item, ConditionExpression = "attribute_not_exists(pk)" };
            var update = new UpdateItemRequest
            {
                TableName = table,
                Key = item,
                UpdateExpression = "SET transaction_status = :status",
                ConditionExpression = "attribute_exists(pk)",
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":status"] = new() { S = "warm-up" } },
            };
            client.DetermineServiceOperationEndpoint(put);
            client.DetermineServiceOperationEndpoint(update);
            PutItemRequestMarshaller.Instance.Marshall(put);
            UpdateItemRequestMarshaller.Instance.Marshall(update);
        }
#pragma warning disable CA1031 // A warm-up must never fail the init: the first real request reports any problem.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private static BasicAWSCredentials LocalCredentials => new("local", "local");

    private static HolidayDependencies Create(IAmazonDynamoDB dynamoDb, TableNames tables, INotifier notifier) => new(
        new DynamoDbBookingStore(dynamoDb, tables.Flights),
        new DynamoDbBookingStore(dynamoDb, tables.Cars),
        new DynamoDbPaymentStore(dynamoDb, tables.Payments),
        new DynamoDbTripStore(dynamoDb, tables.Trips),
        notifier);

    private static T Configure<T>(T config, Uri? localEndpoint) where T : ClientConfig
    {
        // A slow or absent DynamoDB or SQS must fail the step (Restate retries it), not hang the invocation.
        config.Timeout = TimeSpan.FromSeconds(10);
        config.MaxErrorRetry = 2;
        if (localEndpoint is not null)
        {
            config.ServiceURL = localEndpoint.ToString();
            config.AuthenticationRegion = LocalRegion;
        }
        return config;
    }
}

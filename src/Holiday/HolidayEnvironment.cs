using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.SQS;
using Holiday.Data;
using Holiday.Services;

namespace Holiday;

/// <summary>The names of the four Holiday tables; CDK sets them through the environment.</summary>
/// <param name="Flights">Flight bookings, keyed <c>pk</c> (trip id) + <c>sk</c> (booking id).</param>
/// <param name="Cars">Car rentals, keyed <c>pk</c> + <c>sk</c>.</param>
/// <param name="Payments">Payments, keyed <c>pk</c> + <c>sk</c> (payment id).</param>
/// <param name="Trips">Trip outcomes, keyed <c>pk</c> (trip id).</param>
public sealed record TableNames(string Flights, string Cars, string Payments, string Trips)
{
    /// <summary><c>Flights</c>, <c>Cars</c>, <c>Payments</c> and <c>Trips</c>.</summary>
    public static TableNames Default { get; } = new("Flights", "Cars", "Payments", "Trips");

    /// <summary>
    /// The names from <c>FLIGHTS_TABLE_NAME</c>, <c>CARS_TABLE_NAME</c>, <c>PAYMENTS_TABLE_NAME</c> and
    /// <c>TRIPS_TABLE_NAME</c>; an unset or blank variable means the <see cref="Default"/> name.
    /// </summary>
    public static TableNames FromEnvironment(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        return new TableNames(
            Read("FLIGHTS_TABLE_NAME", Default.Flights),
            Read("CARS_TABLE_NAME", Default.Cars),
            Read("PAYMENTS_TABLE_NAME", Default.Payments),
            Read("TRIPS_TABLE_NAME", Default.Trips));

        string Read(string variable, string fallback) =>
            getVariable(variable) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : fallback;
    }
}

/// <summary>
/// Builds the services' dependencies from the standard AWS environment: region and credentials by the SDK's usual
/// chain, a local endpoint from <c>AWS_ENDPOINT_URL_DYNAMODB</c>/<c>AWS_ENDPOINT_URL</c> (and the SQS equivalents),
/// table names from <c>*_TABLE_NAME</c>, notifications when <c>NOTIFICATIONS_QUEUE_URL</c> is set.
/// </summary>
public static class HolidayEnvironment
{
    public static HolidayDependencies CreateDependencies(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        var tables = TableNames.FromEnvironment(getVariable);
        var dynamoDb = CreateDynamoDbClient(getVariable);
        var queueUrl = getVariable("NOTIFICATIONS_QUEUE_URL");
        INotifier notifier = string.IsNullOrEmpty(queueUrl) ? NoNotifier.Instance : new SqsNotifier(CreateSqsClient(getVariable), queueUrl);
        return new HolidayDependencies(
            new DynamoDbBookingStore(dynamoDb, tables.Flights),
            new DynamoDbBookingStore(dynamoDb, tables.Cars),
            new DynamoDbPaymentStore(dynamoDb, tables.Payments),
            new DynamoDbTripStore(dynamoDb, tables.Trips),
            notifier);
    }

    public static AmazonDynamoDBClient CreateDynamoDbClient(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        var config = new AmazonDynamoDBConfig
        {
            // A slow or absent DynamoDB must fail the step (Restate retries it), not hang the invocation.
            Timeout = TimeSpan.FromSeconds(10),
            MaxErrorRetry = 2,
        };
        Configure(config, getVariable, "AWS_ENDPOINT_URL_DYNAMODB");
        return Credentials(getVariable) is { } credentials ? new AmazonDynamoDBClient(credentials, config) : new AmazonDynamoDBClient(config);
    }

    public static AmazonSQSClient CreateSqsClient(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        var config = new AmazonSQSConfig { Timeout = TimeSpan.FromSeconds(10), MaxErrorRetry = 2 };
        Configure(config, getVariable, "AWS_ENDPOINT_URL_SQS");
        return Credentials(getVariable) is { } credentials ? new AmazonSQSClient(credentials, config) : new AmazonSQSClient(config);
    }

    /// <summary>Region from AWS_REGION/AWS_DEFAULT_REGION; a local endpoint from the service's or the general variable.</summary>
    private static void Configure(ClientConfig config, Func<string, string?> getVariable, string serviceEndpointVariable)
    {
        var region = getVariable("AWS_REGION") is { Length: > 0 } r ? r : getVariable("AWS_DEFAULT_REGION");
        if (Endpoint(getVariable, serviceEndpointVariable) is { } endpoint)
        {
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = region ?? "us-east-1";
        }
        else if (region is { Length: > 0 })
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }
    }

    /// <summary>Explicit keys from the environment (as on Lambda); null leaves the SDK's default credential chain.</summary>
    private static AWSCredentials? Credentials(Func<string, string?> getVariable)
    {
        if (getVariable("AWS_ACCESS_KEY_ID") is not { Length: > 0 } accessKey || getVariable("AWS_SECRET_ACCESS_KEY") is not { Length: > 0 } secretKey)
        {
            return null;
        }
        return getVariable("AWS_SESSION_TOKEN") is { Length: > 0 } token
            ? new SessionAWSCredentials(accessKey, secretKey, token)
            : new BasicAWSCredentials(accessKey, secretKey);
    }

    private static string? Endpoint(Func<string, string?> getVariable, string serviceVariable) =>
        getVariable(serviceVariable) is { Length: > 0 } specific ? specific
        : getVariable("AWS_ENDPOINT_URL") is { Length: > 0 } general ? general
        : null;
}

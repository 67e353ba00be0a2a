using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Holiday.Host;
using Holiday.Hosting;
using Holiday.Local;
using Microsoft.AspNetCore.Builder;
using Restate.Sdk.Testing;

namespace Holiday.Tests;

/// <summary>
/// The whole Holiday locally: Amazon's DynamoDB Local with the four tables, the real restate-server, and the
/// Holiday host registered over HTTP/2 (bidirectional) or HTTP/1.1 (request/response), on service protocol V6 (the
/// server's default) or V7.
/// </summary>
public abstract class HolidayFixture(bool useHttp11, bool protocolV7 = false) : IAsyncLifetime
{
    /// <summary>Fast retries so outage tests recover in milliseconds once DynamoDB is back.</summary>
    public static readonly IReadOnlyDictionary<string, string> ServerEnvironment = new Dictionary<string, string>
    {
        ["RESTATE_DEFAULT_RETRY_POLICY__INITIAL_INTERVAL"] = "50ms",
        ["RESTATE_DEFAULT_RETRY_POLICY__MAX_INTERVAL"] = "500ms",
        ["RESTATE_DEFAULT_RETRY_POLICY__MAX_ATTEMPTS"] = "1000",
    };

    private WebApplication? _host;

    public DynamoDbLocal Dynamo { get; private set; } = null!;

    public AmazonDynamoDBClient Db { get; private set; } = null!;

    public RestateServer Server { get; private set; } = null!;

    /// <summary>The service protocol version the server must pin this fixture's invocations to.</summary>
    public int ProtocolVersion => protocolV7 ? 7 : 6;

    public async Task InitializeAsync()
    {
        Dynamo = await StartDynamoWithTablesAsync();
        Db = Dynamo.CreateClient();
        var environment = new Dictionary<string, string>(ServerEnvironment);
        if (protocolV7)
        {
            environment[RestateServerOptions.ProtocolV7Variable] = "true";
        }
        Server = await RestateServer.StartAsync(new RestateServerOptions { Environment = environment });
        var http2Port = FreePort();
        var http1Port = FreePort();
        _host = HolidayHost.Build(new HostSettings(IPAddress.Loopback, http2Port, http1Port, []),
            HolidayAws.CreateLocalDependencies(Dynamo.Endpoint));
        await _host.StartAsync();
        var port = useHttp11 ? http1Port : http2Port;
        await Server.RegisterDeploymentAsync(new Uri($"http://127.0.0.1:{port}/"), useHttp11);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            await _host.DisposeAsync();
        }
        await Server.DisposeAsync();
        Db.Dispose();
        await Dynamo.DisposeAsync();
    }

    /// <summary>Amazon's DynamoDB Local with the four Holiday tables created.</summary>
    public static async Task<DynamoDbLocal> StartDynamoWithTablesAsync()
    {
        var dynamo = await DynamoDbLocal.StartAsync();
        try
        {
            using var db = dynamo.CreateClient();
            await HolidayTables.CreateAsync(db, TableNames.Default, CancellationToken.None);
            return dynamo;
        }
        catch
        {
            await dynamo.DisposeAsync();
            throw;
        }
    }

    internal Task<IngressResponse> ReserveAsync(string? json, IReadOnlyDictionary<string, string>? headers = null) =>
        PostAsync(Server.Ingress, "/trips/reserve", json, headers);

    internal static async Task<IngressResponse> PostAsync(HttpClient ingress, string path, string? json, IReadOnlyDictionary<string, string>? headers = null)
    {
        // No saga or validation may hang: a minute is far beyond any correct answer.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        return await ingress.PostJsonAsync(path, json, headers, timeout.Token);
    }

    /// <summary>The transaction statuses of a trip's records in one table, in id order.</summary>
    public Task<IReadOnlyList<string>> StatusesAsync(string table, string tripId) => StatusesAsync(Db, table, tripId);

    public static async Task<IReadOnlyList<string>> StatusesAsync(IAmazonDynamoDB db, string table, string tripId)
    {
        var result = await db.QueryAsync(new QueryRequest
        {
            TableName = table,
            KeyConditionExpression = "pk = :trip",
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":trip"] = new() { S = tripId } },
            ConsistentRead = true,
        });
        return [.. result.Items.Select(item => item["transaction_status"].S)];
    }

    public async Task<Dictionary<string, AttributeValue>?> TripRecordAsync(string tripId)
    {
        var result = await Db.GetItemAsync(new GetItemRequest
        {
            TableName = "Trips",
            Key = new Dictionary<string, AttributeValue> { ["pk"] = new() { S = tripId } },
            ConsistentRead = true,
        });
        return result.IsItemSet ? result.Item : null;
    }

    /// <summary>
    /// Makes every saga stop exactly between its flight and car steps: without the Cars table the car booking fails
    /// (a retryable error) and Restate retries it until <see cref="ThawAsync"/> creates the table again.
    /// </summary>
    public static async Task FreezeBeforeCarsAsync(IAmazonDynamoDB db)
    {
        await db.DeleteTableAsync("Cars");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((await db.ListTablesAsync(timeout.Token)).TableNames.Contains("Cars"))
        {
            await Task.Delay(50, timeout.Token);
        }
    }

    /// <summary>Recreates the Cars table, so frozen sagas continue at their next retry.</summary>
    public static Task ThawAsync(IAmazonDynamoDB db) => HolidayTables.CreateAsync(db, TableNames.Default, CancellationToken.None);

    /// <summary>Waits until the saga of <paramref name="tripId"/> booked its flight and its car step failed at least once.</summary>
    public static async Task WaitUntilFrozenAsync(IAmazonDynamoDB db, RestateServer server, string tripId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while ((await StatusesAsync(db, "Flights", tripId)).Count == 0
               || (await server.QueryAsync("select id from sys_invocation where target_service_name = 'cars' and retry_count > 0")).Count == 0)
        {
            await Task.Delay(50, timeout.Token);
        }
    }

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed class BidiHolidayFixture() : HolidayFixture(useHttp11: false);

public sealed class RequestResponseHolidayFixture() : HolidayFixture(useHttp11: true);

public sealed class BidiV7HolidayFixture() : HolidayFixture(useHttp11: false, protocolV7: true);

public sealed class RequestResponseV7HolidayFixture() : HolidayFixture(useHttp11: true, protocolV7: true);

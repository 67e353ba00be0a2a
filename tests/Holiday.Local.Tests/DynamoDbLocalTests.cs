using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Holiday.Hosting;
using Xunit.Abstractions;

namespace Holiday.Local.Tests;

/// <summary>Runs the real DynamoDB Local (Java) from the repository's npm install.</summary>
public sealed class DynamoDbLocalTests(ITestOutputHelper output)
{
    private static readonly TableNames Names = TableNames.Default;

    [Fact]
    public async Task CreateAsync_FreshInstance_CreatesTheFourOnDemandTablesWithTheirKeys()
    {
        await using var dynamo = await StartAsync();
        using var client = dynamo.CreateClient();

        await HolidayTables.CreateAsync(client, Names, CancellationToken.None);

        var listed = await client.ListTablesAsync(new ListTablesRequest());
        Assert.Equal(["Cars", "Flights", "Payments", "Trips"], listed.TableNames.Order(StringComparer.Ordinal));
        foreach (var name in new[] { Names.Flights, Names.Cars, Names.Payments })
        {
            var table = await DescribeAsync(client, name);
            Assert.Equal(["pk HASH", "sk RANGE"], KeySchema(table));
            Assert.Equal(["pk S", "sk S"], AttributeTypes(table));
            AssertOnDemandAndActive(table);
        }

        var trips = await DescribeAsync(client, Names.Trips);
        Assert.Equal(["pk HASH"], KeySchema(trips));
        Assert.Equal(["pk S"], AttributeTypes(trips));
        AssertOnDemandAndActive(trips);
    }

    [Fact]
    public async Task CreateAsync_CalledTwice_KeepsTablesAndItems()
    {
        await using var dynamo = await StartAsync();
        using var client = dynamo.CreateClient();
        await HolidayTables.CreateAsync(client, Names, CancellationToken.None);
        await client.PutItemAsync(Names.Trips, Item("trip-1"));

        await HolidayTables.CreateAsync(client, Names, CancellationToken.None);

        var listed = await client.ListTablesAsync(new ListTablesRequest());
        Assert.Equal(4, listed.TableNames.Count);
        Assert.True((await GetTripAsync(client, "trip-1")).IsItemSet);
    }

    [Fact]
    public async Task CreateAsync_TableExistsWithOtherKeys_FailsNamingTheTable()
    {
        await using var dynamo = await StartAsync();
        using var client = dynamo.CreateClient();
        await HolidayTables.CreateAsync(client, Names, CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            HolidayTables.CreateAsync(client, Names with { Trips = Names.Flights + "-trips", Cars = Names.Trips }, CancellationToken.None));

        Assert.Contains("Table Trips exists with key schema [pk HASH], expected [pk HASH, sk RANGE]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutItem_ThenGetItem_ReturnsTheItem()
    {
        await using var dynamo = await StartAsync();
        using var client = dynamo.CreateClient();
        await HolidayTables.CreateAsync(client, Names, CancellationToken.None);

        await client.PutItemAsync(Names.Flights, new Dictionary<string, AttributeValue>
        {
            ["pk"] = new("trip-7"),
            ["sk"] = new("flight#LH123"),
            ["status"] = new("RESERVED"),
        });
        var got = await client.GetItemAsync(Names.Flights, new Dictionary<string, AttributeValue>
        {
            ["pk"] = new("trip-7"),
            ["sk"] = new("flight#LH123"),
        });

        Assert.True(got.IsItemSet);
        Assert.Equal("RESERVED", got.Item["status"].S);
    }

    [Fact]
    public async Task StopAsync_ThenStartAgainAsync_RefusesWhileStoppedAndKeepsTheData()
    {
        await using var dynamo = await StartAsync();
        using var client = dynamo.CreateClient();
        await HolidayTables.CreateAsync(client, Names, CancellationToken.None);
        await client.PutItemAsync(Names.Trips, Item("trip-42"));
        var firstPid = dynamo.ProcessId;
        var endpoint = dynamo.Endpoint;

        var watch = Stopwatch.StartNew();
        await dynamo.StopAsync();
        output.WriteLine($"stopped after {watch.ElapsedMilliseconds} ms");

        Assert.False(ProcessExists(firstPid));
        watch.Restart();
        var outage = await Assert.ThrowsAnyAsync<Exception>(() => GetTripAsync(client, "trip-42"));
        output.WriteLine($"request failed after {watch.ElapsedMilliseconds} ms: {outage.GetType().Name}: {outage.Message}");
        Assert.True(IsConnectionRefused(outage), outage.ToString());

        watch.Restart();
        await dynamo.StartAgainAsync();
        output.WriteLine($"started again after {watch.ElapsedMilliseconds} ms");

        Assert.NotEqual(firstPid, dynamo.ProcessId);
        Assert.Equal(endpoint, dynamo.Endpoint);
        var got = await GetTripAsync(client, "trip-42");
        Assert.True(got.IsItemSet);
        Assert.Equal("BOOKED", got.Item["status"].S);
    }

    [Fact]
    public async Task KillAsync_ThenStartAgainAsync_KeepsTheData()
    {
        await using var dynamo = await StartAsync();
        using var client = dynamo.CreateClient();
        await HolidayTables.CreateAsync(client, Names, CancellationToken.None);
        await client.PutItemAsync(Names.Trips, Item("trip-crash"));

        await dynamo.KillAsync();
        await dynamo.StartAgainAsync();

        Assert.True((await GetTripAsync(client, "trip-crash")).IsItemSet);
    }

    [Fact]
    public async Task StartAsync_PortInUse_FailsNamingThePort()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(new DynamoDbLocalOptions { Port = port }));

        Assert.Contains($"port {port} is already in use", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAgainAsync_PortTakenWhileStopped_FailsNamingThePort()
    {
        await using var dynamo = await StartAsync();
        await dynamo.StopAsync();
        using var taken = new TcpListener(IPAddress.Loopback, dynamo.Port);
        taken.Start();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => dynamo.StartAgainAsync());

        Assert.Contains($"port {dynamo.Port} is already in use", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(" at org.eclipse", error.Message, StringComparison.Ordinal);
        Assert.False(ProcessExists(dynamo.ProcessId));
    }

    [Fact]
    public async Task StartAsync_TwoInstancesInParallel_RunOnDistinctPortsWithSeparateData()
    {
        var starts = new[] { StartAsync(), StartAsync() };
        var both = await Task.WhenAll(starts);
        await using var first = both[0];
        await using var second = both[1];
        using var firstClient = first.CreateClient();
        using var secondClient = second.CreateClient();

        await HolidayTables.CreateAsync(firstClient, Names, CancellationToken.None);

        Assert.NotEqual(first.Port, second.Port);
        Assert.NotEqual(first.ProcessId, second.ProcessId);
        Assert.NotEqual(first.DataDirectory, second.DataDirectory);
        Assert.Equal(4, (await firstClient.ListTablesAsync(new ListTablesRequest())).TableNames.Count);
        Assert.Empty((await secondClient.ListTablesAsync(new ListTablesRequest())).TableNames ?? []);
    }

    [Fact]
    public async Task DisposeAsync_Running_EndsTheProcessAndDeletesTheTemporaryData()
    {
        var dynamo = await StartAsync();
        var pid = dynamo.ProcessId;
        var dataDirectory = dynamo.DataDirectory;
        Assert.True(ProcessExists(pid));
        Assert.True(Directory.Exists(dataDirectory));

        await dynamo.DisposeAsync();

        Assert.False(ProcessExists(pid));
        Assert.False(Directory.Exists(dataDirectory));
    }

    [Fact]
    public async Task DisposeAsync_GivenDataDirectory_KeepsItForTheNextInstance()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("dynamodb-local-test-").FullName;
        try
        {
            await using (var first = await StartAsync(new DynamoDbLocalOptions { DataDirectory = dataDirectory }))
            {
                using var client = first.CreateClient();
                await HolidayTables.CreateAsync(client, Names, CancellationToken.None);
                await client.PutItemAsync(Names.Trips, Item("trip-kept"));
            }

            Assert.True(Directory.Exists(dataDirectory));
            await using var second = await StartAsync(new DynamoDbLocalOptions { DataDirectory = dataDirectory });
            using var secondClient = second.CreateClient();
            Assert.True((await GetTripAsync(secondClient, "trip-kept")).IsItemSet);
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task StartAsync_JavaMissing_SaysJava17IsRequired()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            StartAsync(new DynamoDbLocalOptions { JavaExecutable = "/nonexistent/bin/java" }));

        Assert.StartsWith("Java 17 or later is required to run DynamoDB Local: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_ProcessExitsDuringStart_ReportsExitCodeAndLastOutput()
    {
        var folder = Directory.CreateTempSubdirectory("dynamodb-local-test-").FullName;
        try
        {
            var fakeJava = Path.Combine(folder, "java");
            await File.WriteAllTextAsync(fakeJava, "#!/bin/sh\necho \"starting $*\"\necho 'something broke' >&2\nexit 3\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(fakeJava, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
                StartAsync(new DynamoDbLocalOptions { JavaExecutable = fakeJava }));

            Assert.Contains("exited during start-up with exit code 3", error.Message, StringComparison.Ordinal);
            Assert.Contains("something broke", error.Message, StringComparison.Ordinal);
            Assert.Contains("-sharedDb", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task<DynamoDbLocal> StartAsync(DynamoDbLocalOptions? options = null)
    {
        var started = Stopwatch.StartNew();
        var dynamo = await DynamoDbLocal.StartAsync((options ?? new DynamoDbLocalOptions()) with { Log = output.WriteLine });
        output.WriteLine($"DynamoDB Local pid {dynamo.ProcessId} at {dynamo.Endpoint} ready after {started.ElapsedMilliseconds} ms");
        return dynamo;
    }

    private static Dictionary<string, AttributeValue> Item(string tripId) => new()
    {
        ["pk"] = new(tripId),
        ["status"] = new("BOOKED"),
    };

    private static Task<GetItemResponse> GetTripAsync(AmazonDynamoDBClient client, string tripId) =>
        client.GetItemAsync(Names.Trips, new Dictionary<string, AttributeValue> { ["pk"] = new(tripId) });

    private static async Task<TableDescription> DescribeAsync(AmazonDynamoDBClient client, string name) =>
        (await client.DescribeTableAsync(name)).Table;

    private static string[] KeySchema(TableDescription table) =>
        [.. table.KeySchema.Select(key => $"{key.AttributeName} {key.KeyType}")];

    private static string[] AttributeTypes(TableDescription table) =>
        [.. table.AttributeDefinitions.Select(a => $"{a.AttributeName} {a.AttributeType}").Order(StringComparer.Ordinal)];

    private static void AssertOnDemandAndActive(TableDescription table)
    {
        Assert.Equal(TableStatus.ACTIVE, table.TableStatus);
        Assert.Equal(BillingMode.PAY_PER_REQUEST, table.BillingModeSummary?.BillingMode);
    }

    private static bool ProcessExists(int pid) => Directory.Exists($"/proc/{pid}");

    private static bool IsConnectionRefused(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.ConnectionRefused }
                || e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError })
            {
                return true;
            }
        }

        return false;
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Holiday.Hosting;
using Holiday.Local;
using Restate.Sdk.Testing;

namespace Holiday.Tests;

/// <summary>
/// Crashes and outages in the middle of a saga. Each test freezes the saga exactly between its flight and car steps
/// (the Cars table is missing, so the car booking fails and is retried), breaks something, repairs it, and checks
/// that the trip completes exactly once: one booking per step, no compensation, the caller gets the one outcome.
/// </summary>
public sealed class HolidayCrashTests : IAsyncLifetime
{
    private readonly int _hostPort = HolidayFixture.FreePort();
    private DynamoDbLocal _dynamo = null!;
    private AmazonDynamoDBClient _db = null!;
    private RestateServer _server = null!;
    private ManagedProcess _host = null!;

    public async Task InitializeAsync()
    {
        _dynamo = await DynamoDbLocal.StartAsync();
        _db = _dynamo.CreateClient();
        await HolidayTables.CreateAsync(_db, TableNames.Default, CancellationToken.None);
        _server = await RestateServer.StartAsync(new RestateServerOptions { Environment = HolidayFixture.ServerEnvironment });
        _host = await StartHostAsync();
        await _server.RegisterDeploymentAsync(new Uri($"http://127.0.0.1:{_hostPort}/"));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _server.DisposeAsync();
        _db.Dispose();
        await _dynamo.DisposeAsync();
    }

    [Fact]
    public async Task HostKilledMidSaga_RestartedHostCompletesTheTripOnce()
    {
        var (tripId, invocationId) = await StartFrozenSagaAsync();

        await _host.KillAsync();
        await _host.RestartAsync(CancellationToken.None);
        await HolidayFixture.ThawAsync(_db);

        await AssertBookedOnceAsync(tripId, invocationId);
    }

    [Fact]
    public async Task RestateServerKilledMidSaga_RestartedServerCompletesTheTripOnce()
    {
        var (tripId, invocationId) = await StartFrozenSagaAsync();

        await _server.KillAsync();
        await _server.RestartAsync();
        await HolidayFixture.ThawAsync(_db);

        await AssertBookedOnceAsync(tripId, invocationId);
    }

    [Fact]
    public async Task DynamoDbOutageMidSaga_StepIsRetriedAndTheTripCompletesWithoutCompensation()
    {
        var (tripId, invocationId) = await StartFrozenSagaAsync();

        await _dynamo.StopAsync();
        await _dynamo.StartAgainAsync();
        await HolidayFixture.ThawAsync(_db);

        await AssertBookedOnceAsync(tripId, invocationId);
    }

    /// <summary>The Holiday host as its own process (its published entry point), so a test can SIGKILL it like a crash.</summary>
    private Task<ManagedProcess> StartHostAsync() => DotnetAppProcess.StartAsync(
        Path.Combine(AppContext.BaseDirectory, "Holiday.Host.dll"), [],
        new Dictionary<string, string>
        {
            ["PORT"] = $"{_hostPort}",
            ["AWS_ENDPOINT_URL_DYNAMODB"] = _dynamo.Endpoint.ToString(),
            ["AWS_REGION"] = "us-east-1",
            ["AWS_ACCESS_KEY_ID"] = "local",
            ["AWS_SECRET_ACCESS_KEY"] = "local",
        }, "listening on");

    /// <summary>Starts a saga and waits until it is stopped between its flight and car steps.</summary>
    private async Task<(string TripId, string InvocationId)> StartFrozenSagaAsync()
    {
        await HolidayFixture.FreezeBeforeCarsAsync(_db);
        var tripId = $"trip-{Guid.NewGuid():N}";
        var accepted = await HolidayFixture.PostAsync(_server.Ingress, "/trips/reserve/send", $$"""{"trip_id":"{{tripId}}"}""");
        Assert.Equal(HttpStatusCode.Accepted, accepted.Status);
        await HolidayFixture.WaitUntilFrozenAsync(_db, _server, tripId);
        return (tripId, accepted.Json["invocationId"]!.GetValue<string>());
    }

    private async Task AssertBookedOnceAsync(string tripId, string invocationId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        using var attach = await _server.Ingress.GetAsync($"/restate/invocation/{invocationId}/attach", timeout.Token);

        Assert.Equal($$"""{"status":"success","trip_id":"{{tripId}}"}""", await attach.Content.ReadAsStringAsync(timeout.Token));
        Assert.Equal(["confirmed"], await HolidayFixture.StatusesAsync(_db, "Flights", tripId));
        Assert.Equal(["confirmed"], await HolidayFixture.StatusesAsync(_db, "Cars", tripId));
        Assert.Equal(["charged"], await HolidayFixture.StatusesAsync(_db, "Payments", tripId));
    }
}

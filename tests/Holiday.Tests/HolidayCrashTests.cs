using System.Net;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Holiday.Local;
using Restate.Sdk.Testing;

namespace Holiday.Tests;

/// <summary>
/// Crashes and outages in the middle of a saga. Each test freezes the saga between steps by stopping DynamoDB right
/// after the flight is booked (the car booking then fails and is retried), breaks something, repairs it, and checks
/// that the trip completes exactly once: one booking per step, no compensation, the caller gets the one outcome.
/// </summary>
public sealed class HolidayCrashTests : IAsyncLifetime
{
    private readonly int _hostPort = HolidayFixture.FreePort();
    private DynamoDbLocal _dynamo = null!;
    private AmazonDynamoDBClient _db = null!;
    private RestateServer _server = null!;
    private HolidayHostProcess _host = null!;

    public async Task InitializeAsync()
    {
        _dynamo = await DynamoDbLocal.StartAsync();
        _db = _dynamo.CreateClient();
        await HolidayTables.CreateAsync(_db, TableNames.Default, CancellationToken.None);
        _server = await RestateServer.StartAsync(new RestateServerOptions { Environment = HolidayFixture.ServerEnvironment });
        _host = await HolidayHostProcess.StartAsync(_hostPort, _dynamo.Endpoint);
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
        var (tripId, invocationId) = await StartSagaAndFreezeAfterFlightAsync();

        await _host.KillAsync();
        await _dynamo.StartAgainAsync();
        await _host.DisposeAsync();
        _host = await HolidayHostProcess.StartAsync(_hostPort, _dynamo.Endpoint);

        await AssertBookedOnceAsync(tripId, invocationId);
    }

    [Fact]
    public async Task RestateServerKilledMidSaga_RestartedServerCompletesTheTripOnce()
    {
        var (tripId, invocationId) = await StartSagaAndFreezeAfterFlightAsync();

        await _server.KillAsync();
        await _dynamo.StartAgainAsync();
        await _server.RestartAsync();

        await AssertBookedOnceAsync(tripId, invocationId);
    }

    [Fact]
    public async Task DynamoDbOutageMidSaga_StepIsRetriedAndTheTripCompletesWithoutCompensation()
    {
        var (tripId, invocationId) = await StartSagaAndFreezeAfterFlightAsync();
        await WaitUntilAsync(async () => await RetriedInvocationsAsync() > 0);

        await _dynamo.StartAgainAsync();

        await AssertBookedOnceAsync(tripId, invocationId);
    }

    private async Task<(string TripId, string InvocationId)> StartSagaAndFreezeAfterFlightAsync()
    {
        var tripId = $"trip-{Guid.NewGuid():N}";
        var accepted = await HolidayFixture.PostAsync(_server.Ingress, "/trips/reserve/send", $$"""{"trip_id":"{{tripId}}"}""");
        Assert.Equal(HttpStatusCode.Accepted, accepted.Status);
        await WaitUntilAsync(async () => (await HolidayFixture.StatusesAsync(_db, "Flights", tripId)).Count == 1);
        await _dynamo.StopAsync();
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

    /// <summary>Invocations whose last attempt failed and are being retried (the saga blocked on DynamoDB).</summary>
    private async Task<int> RetriedInvocationsAsync()
    {
        var rows = await _server.QueryAsync("select id from sys_invocation where retry_count > 0");
        return rows.Count;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            await Task.Delay(50, timeout.Token);
        }
    }
}

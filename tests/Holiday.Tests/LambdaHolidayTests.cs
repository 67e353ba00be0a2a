using System.Net;
using Amazon.DynamoDBv2;
using Holiday.Hosting;
using Holiday.Local;
using Restate.Sdk.Testing.Lambda;

namespace Holiday.Tests;

/// <summary>
/// The same Holiday contract over the real Lambda wire path: restate-server → Lambda Invoke API (the local emulator)
/// → the Native AOT <c>bootstrap</c> (one function per service) → DynamoDB Local. This is <c>./dev run --lambda</c>
/// (with <c>--protocol-v7</c> for service protocol V7).
/// </summary>
public abstract class LambdaHolidaySystem(bool protocolV7) : IAsyncLifetime
{
    /// <summary>The service protocol version the server must pin this fixture's invocations to.</summary>
    public int ProtocolVersion => protocolV7 ? 7 : 6;

    internal LocalSystem System { get; private set; } = null!;

    public AmazonDynamoDBClient Db { get; private set; } = null!;

    public LambdaEmulator Lambda => System.Lambda!;

    public HttpClient Ingress => System.Server.Ingress;

    public async Task InitializeAsync()
    {
        System = await FreePortStart.StartAsync(() => new LocalRunOptions(FreePortStart.Port(), FreePortStart.Port(), FreePortStart.Port(),
            DynamoDbPort: 0, UseLambda: true, ProtocolV7: protocolV7));
        Db = HolidayAws.CreateDynamoDbClient(System.DynamoDbEndpoint);
    }

    public async Task DisposeAsync()
    {
        Db.Dispose();
        await System.DisposeAsync();
    }
}

public sealed class LambdaHolidayFixture() : LambdaHolidaySystem(protocolV7: false);

public sealed class LambdaV7HolidayFixture() : LambdaHolidaySystem(protocolV7: true);

public sealed class LambdaHolidayTests(LambdaHolidayFixture fixture) : LambdaHolidayContractTests(fixture), IClassFixture<LambdaHolidayFixture>;

public sealed class LambdaV7HolidayTests(LambdaV7HolidayFixture fixture) : LambdaHolidayContractTests(fixture), IClassFixture<LambdaV7HolidayFixture>;

public abstract class LambdaHolidayContractTests(LambdaHolidaySystem fixture)
{
    [Theory]
    [InlineData(null, 200, null, "confirmed", "confirmed", "charged")]
    [InlineData("failPayment", 500, "Failed to process payment'; successfully applied 3 compensations", "cancelled", "cancelled", null)]
    [InlineData("failCarRentalConfirmation", 500, "Failed to confirm the car rental'; successfully applied 3 compensations", "cancelled", "cancelled", "refunded")]
    [InlineData("failNotification", 500, "Failed to send notification'; successfully applied 3 compensations", "cancelled", "cancelled", "refunded")]
    public async Task Reserve_OverLambda_SameOutcomeAndDynamoDbStateAsOverHttp(
        string? runType, int status, string? messageTail, string flight, string car, string? payment)
    {
        var tripId = $"trip-{Guid.NewGuid():N}";
        var body = runType is null ? $$"""{"trip_id":"{{tripId}}"}""" : $$"""{"trip_id":"{{tripId}}","run_type":"{{runType}}"}""";

        var response = await HolidayFixture.PostAsync(fixture.Ingress, "/trips/reserve", body);

        Assert.Equal((HttpStatusCode)status, response.Status);
        if (messageTail is null)
        {
            Assert.Equal($$"""{"status":"success","trip_id":"{{tripId}}"}""", response.Body);
        }
        else
        {
            Assert.Equal($"Travel reservation failed with err 'TerminalError: {messageTail}", response.Json["message"]!.GetValue<string>());
        }
        Assert.Equal([flight], await HolidayFixture.StatusesAsync(fixture.Db, "Flights", tripId));
        Assert.Equal([car], await HolidayFixture.StatusesAsync(fixture.Db, "Cars", tripId));
        Assert.Equal(payment is null ? [] : [payment], await HolidayFixture.StatusesAsync(fixture.Db, "Payments", tripId));
    }

    [Fact]
    public async Task Reserve_InvalidTripIdOverLambda_Answers400NamingTheProblem()
    {
        var response = await HolidayFixture.PostAsync(fixture.Ingress, "/trips/reserve", "{\"trip_id\":123}");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains("trip_id must be a string", response.Json["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    /// <summary>
    /// Request/response mode costs one Lambda invocation per attempt, and an attempt ends at every call awaiting its
    /// callee and after every run: trips 2 + trip_saga 7 (5 calls, the notify run, the end) in the trips function,
    /// flights and cars 4 each (reserve and confirm: one run each), payments 2 (one run). An extra round trip fails this.
    /// </summary>
    [Fact]
    public async Task Reserve_SuccessfulTripOverLambda_UsesExactlyTheInvocationsRequestResponseImplies()
    {
        fixture.Lambda.ResetCounters();

        var response = await HolidayFixture.PostAsync(fixture.Ingress, "/trips/reserve", "{}");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(9, fixture.Lambda.GetFunction("holiday-trips").InvocationCount);
        Assert.Equal(4, fixture.Lambda.GetFunction("holiday-flights").InvocationCount);
        Assert.Equal(4, fixture.Lambda.GetFunction("holiday-cars").InvocationCount);
        Assert.Equal(2, fixture.Lambda.GetFunction("holiday-payments").InvocationCount);
        Assert.All(fixture.Lambda.Invocations, invocation => Assert.Equal(LambdaInvocationStatus.Succeeded, invocation.Status));
    }

    [Fact]
    public async Task Reserve_OverLambda_RanOnTheFixturesProtocolVersion()
    {
        var booked = await HolidayFixture.PostAsync(fixture.Ingress, "/trips/reserve", "{}",
            new Dictionary<string, string> { ["idempotency-key"] = Guid.NewGuid().ToString("N") });

        Assert.Equal(HttpStatusCode.OK, booked.Status);
        var rows = await fixture.System.Server.QueryAsync(
            $"select pinned_service_protocol_version from sys_invocation where id = '{booked.InvocationId}'");
        Assert.Equal(fixture.ProtocolVersion, Assert.Single(rows)!["pinned_service_protocol_version"]!.GetValue<int>());
    }

    [Fact]
    public async Task Reserve_FunctionsAndServerCrashMidSaga_TripCompletesOnceAfterRestart()
    {
        await HolidayFixture.FreezeBeforeCarsAsync(fixture.Db);
        var tripId = $"trip-{Guid.NewGuid():N}";
        var accepted = await HolidayFixture.PostAsync(fixture.Ingress, "/trips/reserve/send", $$"""{"trip_id":"{{tripId}}"}""");
        var invocationId = accepted.Json["invocationId"]!.GetValue<string>();
        await HolidayFixture.WaitUntilFrozenAsync(fixture.Db, fixture.System.Server, tripId);

        foreach (var function in fixture.Lambda.Functions)
        {
            await fixture.Lambda.StopInstancesAsync(function.Name);
        }
        await fixture.System.Server.KillAsync();
        await fixture.System.Server.RestartAsync();
        await HolidayFixture.ThawAsync(fixture.Db);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        using var attach = await fixture.Ingress.GetAsync($"/restate/invocation/{invocationId}/attach", timeout.Token);

        Assert.Equal($$"""{"status":"success","trip_id":"{{tripId}}"}""", await attach.Content.ReadAsStringAsync(timeout.Token));
        Assert.Equal(["confirmed"], await HolidayFixture.StatusesAsync(fixture.Db, "Flights", tripId));
        Assert.Equal(["confirmed"], await HolidayFixture.StatusesAsync(fixture.Db, "Cars", tripId));
        Assert.Equal(["charged"], await HolidayFixture.StatusesAsync(fixture.Db, "Payments", tripId));
    }

    [Fact]
    public async Task LambdaDiscoverEvent_InvokedDirectly_AnswersTheRequestResponseManifest()
    {
        var result = await fixture.Lambda.InvokeAsync("holiday-trips", await File.ReadAllTextAsync(EventFile("lambda-discover.json")));
        var response = System.Text.Json.Nodes.JsonNode.Parse(result.Payload)!;
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(Convert.FromBase64String(response["body"]!.GetValue<string>()))!;

        Assert.Equal(200, response["statusCode"]!.GetValue<int>());
        Assert.Equal("REQUEST_RESPONSE", manifest["protocolMode"]!.GetValue<string>());
        Assert.Equal("zstd", manifest["lambdaCompression"]!.GetValue<string>());
        Assert.Equal(["trips", "trip_saga"], manifest["services"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task LambdaInvokeEvent_InvokedDirectly_CallsTheSagaThenSuspends()
    {
        var result = await fixture.Lambda.InvokeAsync("holiday-trips", await File.ReadAllTextAsync(EventFile("lambda-invoke-trips-reserve.json")));
        var response = System.Text.Json.Nodes.JsonNode.Parse(result.Payload)!;
        var frames = Convert.FromBase64String(response["body"]!.GetValue<string>());
        var types = new List<int>();
        for (var offset = 0; offset < frames.Length;)
        {
            types.Add(System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(frames.AsSpan(offset)));
            offset += 8 + (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(frames.AsSpan(offset + 4));
        }

        Assert.Equal(200, response["statusCode"]!.GetValue<int>());
        Assert.Equal([0x040D, 0x0001], types);
        Assert.True(frames.AsSpan().IndexOf("trip_saga"u8) > 0, "the call targets trip_saga");
        Assert.True(frames.AsSpan().IndexOf("trip-smoke"u8) > 0, "the call is keyed by the trip id");
    }

    private static string EventFile(string name) =>
        Path.Combine(Restate.Sdk.Testing.NpmTools.FindRepositoryRoot("@restatedev/restate-server")!, "events", name);
}

using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace Holiday.Tests;

/// <summary>
/// The Holiday contract (docs/holiday-contract.md) end to end: through restate-server's ingress, into DynamoDB
/// Local, in both protocol modes (the derived classes at the bottom).
/// </summary>
public abstract class HolidaySagaTests(HolidayFixture fixture)
{
    private static string NewTripId() => $"trip-{Guid.NewGuid():N}";

    public static TheoryData<string?, int, string?, string[], string[], string[]> RunTypes => new()
    {
        { null, 200, null, ["confirmed"], ["confirmed"], ["charged"] },
        { "failFlightsReservation", 500, "Failed to book the flights'; successfully applied 0 compensations", [], [], [] },
        { "failCarRentalReservation", 500, "Failed to book the car rental'; successfully applied 1 compensations", ["cancelled"], [], [] },
        { "failPayment", 500, "Failed to process payment'; successfully applied 3 compensations", ["cancelled"], ["cancelled"], [] },
        { "failFlightsConfirmation", 500, "Failed to confirm the flights'; successfully applied 3 compensations", ["cancelled"], ["cancelled"], ["refunded"] },
        { "failCarRentalConfirmation", 500, "Failed to confirm the car rental'; successfully applied 3 compensations", ["cancelled"], ["cancelled"], ["refunded"] },
        { "failNotification", 500, "Failed to send notification'; successfully applied 3 compensations", ["cancelled"], ["cancelled"], ["refunded"] },
    };

    [Theory]
    [MemberData(nameof(RunTypes))]
    public async Task Reserve_EachRunType_AnswersTheContractAndLeavesNoPartialTrip(
        string? runType, int status, string? messageTail, string[] flights, string[] cars, string[] payments)
    {
        var tripId = NewTripId();
        var body = runType is null ? $$"""{"trip_id":"{{tripId}}"}""" : $$"""{"trip_id":"{{tripId}}","run_type":"{{runType}}"}""";

        var response = await fixture.ReserveAsync(body);

        Assert.Equal((HttpStatusCode)status, response.Status);
        if (messageTail is null)
        {
            Assert.Equal($$"""{"status":"success","trip_id":"{{tripId}}"}""", response.Body);
        }
        else
        {
            var message = response.Json["message"]!.GetValue<string>();
            Assert.Equal($"Travel reservation failed with err 'TerminalError: {messageTail}", message);
        }
        Assert.Equal(flights, await fixture.StatusesAsync("Flights", tripId));
        Assert.Equal(cars, await fixture.StatusesAsync("Cars", tripId));
        Assert.Equal(payments, await fixture.StatusesAsync("Payments", tripId));
        var trip = await fixture.TripRecordAsync(tripId);
        Assert.NotNull(trip);
        Assert.Equal(messageTail is null ? "booked" : "failed", trip["status"].S);
    }

    [Fact]
    public async Task Reserve_EmptyBody_BooksATripWithAGeneratedId()
    {
        var response = await fixture.ReserveAsync(null);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var tripId = response.Json["trip_id"]!.GetValue<string>();
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", tripId);
        Assert.Equal(["confirmed"], await fixture.StatusesAsync("Flights", tripId));
    }

    [Theory]
    [InlineData("[]", "must be a JSON object such as {\"trip_id\":\"trip-1\"}, not a JSON array")]
    [InlineData("\"trip-1\"", "not a JSON string")]
    [InlineData("not json", "The request body is not valid JSON")]
    [InlineData("{\"trip_id\":\"\"}", "trip_id must be a string of 1 to 128 characters")]
    [InlineData("{\"trip_id\":123}", "got a JSON number")]
    [InlineData("{\"trip_id\":\"has space\"}", "got \"has space\"")]
    [InlineData("{\"trip_id\":\"{LONG}\"}", "got 129 characters")]
    [InlineData("{\"trip_id\":\"{TRIP}\",\"run_type\":\"failEverything\"}", "run_type must be one of failFlightsReservation, failCarRentalReservation")]
    [InlineData("{\"trip_id\":\"{TRIP}\",\"run_type\":7}", "run_type must be one of")]
    // Exactly the six names: not another casing, not a number in a string (the enum converter alone would take both).
    [InlineData("{\"trip_id\":\"{TRIP}\",\"run_type\":\"FailPayment\"}",
        "run_type must be one of failFlightsReservation, failCarRentalReservation, failPayment, failFlightsConfirmation, failCarRentalConfirmation, failNotification; got \"FailPayment\".")]
    [InlineData("{\"trip_id\":\"{TRIP}\",\"run_type\":\"2\"}", "got \"2\".")]
    public async Task Reserve_InvalidInput_Answers400NamingTheProblemAndWritesNothing(string template, string expected)
    {
        var tripId = NewTripId();
        var body = template.Replace("{TRIP}", tripId, StringComparison.Ordinal)
            .Replace("{LONG}", new string('a', 129), StringComparison.Ordinal);

        var response = await fixture.ReserveAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains(expected, response.Json["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await fixture.StatusesAsync("Flights", tripId));
        Assert.Empty(await fixture.StatusesAsync("Cars", tripId));
        Assert.Empty(await fixture.StatusesAsync("Payments", tripId));
        Assert.Null(await fixture.TripRecordAsync(tripId));
    }

    [Fact]
    public async Task Reserve_TwoConcurrentCallsForOneTrip_BookOnceAndBothSeeTheSameOutcome()
    {
        var tripId = NewTripId();
        var body = $$"""{"trip_id":"{{tripId}}"}""";

        var responses = await Task.WhenAll(fixture.ReserveAsync(body), fixture.ReserveAsync(body));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.Equal(responses[0].Body, responses[1].Body);
        Assert.Equal(["confirmed"], await fixture.StatusesAsync("Flights", tripId));
        Assert.Equal(["confirmed"], await fixture.StatusesAsync("Cars", tripId));
        Assert.Equal(["charged"], await fixture.StatusesAsync("Payments", tripId));
    }

    [Fact]
    public async Task Reserve_SameTripAgainWithAnotherRunType_AnswersTheFirstOutcomeWithoutBooking()
    {
        var tripId = NewTripId();

        var first = await fixture.ReserveAsync($$"""{"trip_id":"{{tripId}}","run_type":"failPayment"}""");
        var second = await fixture.ReserveAsync($$"""{"trip_id":"{{tripId}}"}""");

        Assert.Equal(HttpStatusCode.InternalServerError, second.Status);
        Assert.Equal(first.Json["message"]!.GetValue<string>(), second.Json["message"]!.GetValue<string>());
        Assert.Equal(["cancelled"], await fixture.StatusesAsync("Flights", tripId));
        Assert.Empty(await fixture.StatusesAsync("Payments", tripId));
    }

    [Fact]
    public async Task Reserve_SameIdempotencyKeyTwice_RunsOneSagaAndAnswersTheSame()
    {
        var headers = new Dictionary<string, string> { ["idempotency-key"] = Guid.NewGuid().ToString("N") };

        var first = await fixture.ReserveAsync("{}", headers);
        var second = await fixture.ReserveAsync("{}", headers);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(first.Body, second.Body);
        Assert.Equal(first.InvocationId, second.InvocationId);
        var tripId = first.Json["trip_id"]!.GetValue<string>();
        Assert.Equal(["confirmed"], await fixture.StatusesAsync("Flights", tripId));
    }

    [Fact]
    public async Task Reserve_Booked_RanOnTheFixturesProtocolVersion()
    {
        var headers = new Dictionary<string, string> { ["idempotency-key"] = Guid.NewGuid().ToString("N") };

        var booked = await fixture.ReserveAsync("{}", headers);

        Assert.Equal(HttpStatusCode.OK, booked.Status);
        // An idempotency key keeps the completed invocation in sys_invocation, with the version the server pinned.
        var rows = await fixture.Server.QueryAsync(
            $"select pinned_service_protocol_version from sys_invocation where id = '{booked.InvocationId}'");
        Assert.Equal(fixture.ProtocolVersion, Assert.Single(rows)!["pinned_service_protocol_version"]!.GetValue<int>());
    }

    [Fact]
    public async Task ReserveSend_ThenAttach_ReturnsTheSagaOutcome()
    {
        var tripId = NewTripId();

        var accepted = await HolidayFixture.PostAsync(fixture.Server.Ingress, "/trips/reserve/send", $$"""{"trip_id":"{{tripId}}"}""");
        var invocationId = accepted.Json["invocationId"]!.GetValue<string>();
        using var attach = await fixture.Server.Ingress.GetAsync($"/restate/invocation/{invocationId}/attach");

        Assert.Equal(HttpStatusCode.Accepted, accepted.Status);
        Assert.Equal($$"""{"status":"success","trip_id":"{{tripId}}"}""", await attach.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("trip_saga", "/trip_saga/{0}/book", "{{}}")]
    [InlineData("flights", "/flights/{0}/reserve", """{{"trip_id":"{0}","booking_id":"b-1"}}""")]
    [InlineData("cars", "/cars/{0}/reserve", """{{"trip_id":"{0}","booking_id":"b-1"}}""")]
    [InlineData("payments", "/payments/{0}/process", """{{"payment_id":"p-1"}}""")]
    public async Task Ingress_ServiceOtherThanTrips_IsPrivateAndRefusesDirectCalls(string service, string pathFormat, string bodyFormat)
    {
        var tripId = NewTripId();

        using var described = await fixture.Server.Admin.GetAsync($"/services/{service}");
        var response = await HolidayFixture.PostAsync(fixture.Server.Ingress,
            string.Format(CultureInfo.InvariantCulture, pathFormat, tripId), string.Format(CultureInfo.InvariantCulture, bodyFormat, tripId));

        Assert.Equal(HttpStatusCode.OK, described.StatusCode);
        var schema = JsonNode.Parse(await described.Content.ReadAsStringAsync())!;
        Assert.False(schema["public"]!.GetValue<bool>(), $"{service} is public: {schema.ToJsonString()}");
        // The server refuses before anything runs: no booking, no charge.
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("the invoked service is not public", response.Json["message"]!.GetValue<string>());
        Assert.Empty(await fixture.StatusesAsync("Flights", tripId));
        Assert.Empty(await fixture.StatusesAsync("Cars", tripId));
        Assert.Empty(await fixture.StatusesAsync("Payments", tripId));
    }

    [Fact]
    public async Task Ingress_Trips_IsTheOnlyPublicService()
    {
        using var services = await fixture.Server.Admin.GetAsync("/services");

        var all = JsonNode.Parse(await services.Content.ReadAsStringAsync())!["services"]!.AsArray();
        var names = all.Select(s => s!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal);
        var publicNames = all.Where(s => s!["public"]!.GetValue<bool>()).Select(s => s!["name"]!.GetValue<string>());
        Assert.Equal(["cars", "flights", "payments", "trip_saga", "trips"], names);
        Assert.Equal(["trips"], publicNames);
    }
}

public sealed class BidiHolidaySagaTests(BidiHolidayFixture fixture) : HolidaySagaTests(fixture), IClassFixture<BidiHolidayFixture>;

public sealed class BidiV7HolidaySagaTests(BidiV7HolidayFixture fixture) : HolidaySagaTests(fixture), IClassFixture<BidiV7HolidayFixture>;

public sealed class RequestResponseV7HolidaySagaTests(RequestResponseV7HolidayFixture fixture)
    : HolidaySagaTests(fixture), IClassFixture<RequestResponseV7HolidayFixture>;

public sealed class RequestResponseHolidaySagaTests(RequestResponseHolidayFixture fixture)
    : HolidaySagaTests(fixture), IClassFixture<RequestResponseHolidayFixture>;

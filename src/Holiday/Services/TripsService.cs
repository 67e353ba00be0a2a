using Holiday.Domain;
using Restate.Sdk;
using Restate.Sdk.Definitions;

namespace Holiday.Services;

/// <summary>
/// <c>trips/reserve</c>: validates the request, picks the trip id, and hands the trip to its saga. It stays on the
/// builder API because its input goes through <see cref="TripRequestSerde"/>, which answers 400 with precise messages,
/// and the generator only serializes through the JSON context.
/// </summary>
public static class TripsService
{
    public static ServiceDefinition Definition() => ServiceDefinition.ForService(HolidayServices.Trips)
        .Handler("reserve", async (Context ctx, TripRequest request) =>
        {
            var tripId = request.TripId ?? ctx.Random.NewGuid().ToString();
            // One saga per trip id: a repeated or concurrent reserve of the same trip gets the first outcome.
            return await ctx.ObjectClient<TripSagaObjectClient>(tripId).BookAsync(new TripBooking(request.RunType));
        }, TripRequestSerde.Instance, Serde.Json(HolidayJson.Default.TripResult), new HandlerOptions
        {
            Documentation = "Books a flight, a car and a payment for a trip, or none of them.",
        })
        .Build();
}

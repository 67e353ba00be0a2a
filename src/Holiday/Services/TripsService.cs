using Holiday.Domain;
using Restate.Sdk;

namespace Holiday.Services;

// trips/reserve: validates the request, picks the trip id, and hands the trip to its saga. Its input is read by
// TripRequestSerde, which answers 400 with a message naming the field and what is wrong. (A plain comment, not an XML
// <summary>: the generator would publish that as the service's documentation, which trips has never had.)
[Service(HolidayServices.Trips)]
public static partial class TripsService
{
    /// <summary>Books a flight, a car and a payment for a trip, or none of them.</summary>
    [Handler("reserve")]
    public static async Task<TripResult> ReserveAsync(Context ctx, [Serde(typeof(TripRequestSerde))] TripRequest request)
    {
        var tripId = request.TripId ?? ctx.Random.NewGuid().ToString();
        // One saga per trip id: a repeated or concurrent reserve of the same trip gets the first outcome.
        return await ctx.ObjectClient<TripSagaObjectClient>(tripId).BookAsync(new TripBooking(request.RunType));
    }
}

using System.Text.Json.Serialization;
using Restate.Sdk;

// The generated handlers and clients of the Holiday services (de)serialize every payload through this context.
[assembly: RestateSerializer(typeof(Holiday.Domain.HolidayJson))]

namespace Holiday.Domain;

/// <summary>JSON in snake_case like the original Holiday, source-generated for Native AOT.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TripResult))]
[JsonSerializable(typeof(TripBooking))]
[JsonSerializable(typeof(BookingRequest))]
[JsonSerializable(typeof(Booking))]
[JsonSerializable(typeof(BookingAction))]
[JsonSerializable(typeof(PaymentRequest))]
[JsonSerializable(typeof(Payment))]
[JsonSerializable(typeof(TripOutcome))]
[JsonSerializable(typeof(RunType))]
public sealed partial class HolidayJson : JsonSerializerContext;

using System.Text.Json;
using System.Text.Json.Serialization;
using Patterns.DataUpload;
using Patterns.DurableRpc;
using Patterns.EventEnrichment;
using Patterns.EventProcessing;
using Patterns.ParallelizeWork;
using Patterns.PaymentStateMachine;
using Patterns.Sagas;
using Patterns.Signals;
using Patterns.StatefulActors;
using Patterns.TaskQueue;
using Restate.Sdk;

[assembly: RestateSerializer(typeof(Patterns.PatternsJson))]

namespace Patterns;

/// <summary>
/// The JSON of requests, results and state, source-generated (Native AOT needs no reflection); web defaults, so callers
/// send and get camelCase, and payment statuses are stored by name (<c>"Cancelled"</c>) so the state reads well in the CLI.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ReservationRequest))]
[JsonSerializable(typeof(BookingRequest))]
[JsonSerializable(typeof(TripBooking))]
[JsonSerializable(typeof(PaymentRequest))]
[JsonSerializable(typeof(PaymentResult))]
[JsonSerializable(typeof(PaymentStatus))]
[JsonSerializable(typeof(SocialMediaPost))]
[JsonSerializable(typeof(ModerationStatus))]
[JsonSerializable(typeof(PackageRegistration))]
[JsonSerializable(typeof(LocationUpdate))]
[JsonSerializable(typeof(PackageInfo))]
[JsonSerializable(typeof(FlightReservationRequest))]
[JsonSerializable(typeof(CarReservationRequest))]
[JsonSerializable(typeof(TripReservation))]
[JsonSerializable(typeof(BookingOutcome))]
[JsonSerializable(typeof(MachineStatus))]
[JsonSerializable(typeof(TaskRequest))]
[JsonSerializable(typeof(TaskResult))]
[JsonSerializable(typeof(WorkRequest))]
[JsonSerializable(typeof(Chunk))]
[JsonSerializable(typeof(ChunkResult))]
[JsonSerializable(typeof(WorkResult))]
[JsonSerializable(typeof(UploadRequest))]
[JsonSerializable(typeof(UploadAnswer))]
[JsonSerializable(typeof(PaymentOrder))]
[JsonSerializable(typeof(PaymentReceipt))]
[JsonSerializable(typeof(PaymentIntent))]
[JsonSerializable(typeof(PaymentWebhook))]
internal sealed partial class PatternsJson : JsonSerializerContext;

using System.Text.Json;
using System.Text.Json.Serialization;
using Restate.Sdk;
using TourOfRestate.Services;

[assembly: RestateSerializer(typeof(TourOfRestate.TourJson))]

namespace TourOfRestate;

/// <summary>
/// The JSON of requests and state, source-generated (Native AOT needs no reflection); web defaults, so callers send
/// and get camelCase, and ticket statuses are stored by name (<c>"Reserved"</c>) so the state reads well in the CLI.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(CheckoutRequest))]
[JsonSerializable(typeof(TicketStatus))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class TourJson : JsonSerializerContext;

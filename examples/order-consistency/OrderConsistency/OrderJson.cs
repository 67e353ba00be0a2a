using System.Text.Json;
using System.Text.Json.Serialization;
using OrderConsistency.Inventory;
using OrderConsistency.Orders;
using Restate.Sdk;

[assembly: RestateSerializer(typeof(OrderConsistency.OrderJson))]

namespace OrderConsistency;

/// <summary>
/// The JSON of requests, results and state, source-generated (Native AOT needs no reflection); web defaults, so callers
/// send and get camelCase, and statuses are written by name (<c>"Closed"</c>) so the state reads well in the CLI.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(OrderItem))]
[JsonSerializable(typeof(OrderView))]
[JsonSerializable(typeof(List<OrderLine>))]
[JsonSerializable(typeof(OrderStatus))]
[JsonSerializable(typeof(BookingRequest))]
[JsonSerializable(typeof(BookingOutcome))]
[JsonSerializable(typeof(InventorySnapshot))]
internal sealed partial class OrderJson : JsonSerializerContext;

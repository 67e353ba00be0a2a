using System.Buffers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Restate.Sdk;

namespace Holiday.Domain;

/// <summary>
/// Reads and validates the body of <c>trips/reserve</c> (<c>[Serde(typeof(TripRequestSerde))]</c> on its input, so the
/// generated code creates it through its public parameterless constructor). Every problem is a terminal 400 whose
/// message names the field and what is wrong, so a bad request fails at once instead of being retried.
/// </summary>
public sealed partial class TripRequestSerde : Serde<TripRequest>
{
    public const int MaxTripIdLength = 128;

    public override string ContentType => "application/json";

    public override ReadOnlyMemory<byte> Serialize(TripRequest value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (value.TripId is not null)
            {
                json.WriteString("trip_id", value.TripId);
            }
            if (value.RunType is { } runType)
            {
                json.WritePropertyName("run_type");
                JsonSerializer.Serialize(json, runType, HolidayJson.Default.RunType);
            }
            json.WriteEndObject();
        }
        return buffer.WrittenMemory;
    }

    public override TripRequest Deserialize(ReadOnlyMemory<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return new TripRequest(null, null);
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            throw Invalid($"The request body is not valid JSON ({e.Message}); send an object such as {{\"trip_id\":\"trip-1\"}} or {{}}.");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid($"The request body must be a JSON object such as {{\"trip_id\":\"trip-1\"}}, not a JSON {Describe(root.ValueKind)}.");
            }
            return new TripRequest(ReadTripId(root), ReadRunType(root));
        }
    }

    private static string? ReadTripId(JsonElement root)
    {
        if (!root.TryGetProperty("trip_id", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        const string rule = "trip_id must be a string of 1 to 128 characters from A-Z, a-z, 0-9, '.', '_', ':' and '-'";
        if (value.ValueKind != JsonValueKind.String)
        {
            throw Invalid($"{rule}; got a JSON {Describe(value.ValueKind)}.");
        }
        var tripId = value.GetString()!;
        if (tripId.Length == 0)
        {
            throw Invalid($"{rule}; got an empty string.");
        }
        if (tripId.Length > MaxTripIdLength)
        {
            throw Invalid($"{rule}; got {tripId.Length} characters.");
        }
        if (!TripIdPattern().IsMatch(tripId))
        {
            throw Invalid($"{rule}; got \"{tripId}\".");
        }
        return tripId;
    }

    private static RunType? ReadRunType(JsonElement root)
    {
        if (!root.TryGetProperty("run_type", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        var accepted = string.Join(", ", RunTypeNames.All);
        if (value.ValueKind != JsonValueKind.String)
        {
            throw Invalid($"run_type must be one of {accepted}; got a JSON {Describe(value.ValueKind)}.");
        }
        // Exactly the six names: the enum converter alone would also take other casings and numbers in strings.
        var runType = value.GetString()!;
        return RunTypeNames.All.Contains(runType, StringComparer.Ordinal)
            ? value.Deserialize(HolidayJson.Default.RunType)
            : throw Invalid($"run_type must be one of {accepted}; got \"{runType}\".");
    }

    private static TerminalException Invalid(string message) => new(message, 400);

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => "object",
    };

    [GeneratedRegex("^[A-Za-z0-9._:-]+$")]
    private static partial Regex TripIdPattern();
}

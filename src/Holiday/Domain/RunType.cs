using System.Text.Json;
using System.Text.Json.Serialization;

namespace Holiday.Domain;

/// <summary>
/// Failure injection: each value makes exactly one step of the saga fail terminally. On the wire it is the string the
/// original Holiday spells (<c>"failPayment"</c>, …), written and read by System.Text.Json's source-generated converter.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunType>))]
public enum RunType
{
    /// <summary>flights.reserve fails before writing anything.</summary>
    [JsonStringEnumMemberName("failFlightsReservation")]
    FailFlightsReservation,

    /// <summary>cars.reserve fails before writing anything.</summary>
    [JsonStringEnumMemberName("failCarRentalReservation")]
    FailCarRentalReservation,

    /// <summary>payments.process fails before writing anything.</summary>
    [JsonStringEnumMemberName("failPayment")]
    FailPayment,

    /// <summary>flights.confirm fails.</summary>
    [JsonStringEnumMemberName("failFlightsConfirmation")]
    FailFlightsConfirmation,

    /// <summary>cars.confirm fails.</summary>
    [JsonStringEnumMemberName("failCarRentalConfirmation")]
    FailCarRentalConfirmation,

    /// <summary>The success notification fails.</summary>
    [JsonStringEnumMemberName("failNotification")]
    FailNotification,
}

/// <summary>The wire names of <see cref="RunType"/>, as its JSON converter writes them.</summary>
public static class RunTypeNames
{
    /// <summary>Every accepted value, in declaration order (for validation, error messages and the curl lines).</summary>
    public static IReadOnlyList<string> All { get; } = [.. Enum.GetValues<RunType>().Select(WireName)];

    /// <summary>The value's wire name, such as <c>failPayment</c>.</summary>
    public static string WireName(this RunType runType) => JsonSerializer.Serialize(runType, HolidayJson.Default.RunType).Trim('"');
}

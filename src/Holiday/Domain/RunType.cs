namespace Holiday.Domain;

/// <summary>Failure injection: each value makes exactly one step of the saga fail terminally.</summary>
public enum RunType
{
    /// <summary>flights.reserve fails before writing anything.</summary>
    FailFlightsReservation,

    /// <summary>cars.reserve fails before writing anything.</summary>
    FailCarRentalReservation,

    /// <summary>payments.process fails before writing anything.</summary>
    FailPayment,

    /// <summary>flights.confirm fails.</summary>
    FailFlightsConfirmation,

    /// <summary>cars.confirm fails.</summary>
    FailCarRentalConfirmation,

    /// <summary>The success notification fails.</summary>
    FailNotification,
}

/// <summary>The wire names of <see cref="RunType"/>, as the original Holiday spells them.</summary>
public static class RunTypes
{
    private static readonly Dictionary<string, RunType> ByName = new(StringComparer.Ordinal)
    {
        ["failFlightsReservation"] = RunType.FailFlightsReservation,
        ["failCarRentalReservation"] = RunType.FailCarRentalReservation,
        ["failPayment"] = RunType.FailPayment,
        ["failFlightsConfirmation"] = RunType.FailFlightsConfirmation,
        ["failCarRentalConfirmation"] = RunType.FailCarRentalConfirmation,
        ["failNotification"] = RunType.FailNotification,
    };

    /// <summary>Every accepted value, for error messages.</summary>
    public static IEnumerable<string> Names => ByName.Keys;

    /// <summary>Parses a wire name; false for anything else.</summary>
    public static bool TryParse(string name, out RunType runType) => ByName.TryGetValue(name, out runType);

    /// <summary>The wire name.</summary>
    public static string ToName(RunType runType) => ByName.First(pair => pair.Value == runType).Key;
}

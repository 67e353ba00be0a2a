namespace Holiday.Services;

/// <summary>
/// The Restate names of the Holiday services (curl paths depend on them) and the Lambda function that hosts each.
/// This is the one list the application (<see cref="HolidayRegistration"/>) and the CDK app (which registers each
/// function version and checks which services come back) both use. It depends on nothing, so the CDK project
/// compiles this file as it is.
/// </summary>
public static class HolidayServices
{
    public const string Trips = "trips";
    public const string TripSaga = "trip_saga";
    public const string Flights = "flights";
    public const string Cars = "cars";
    public const string Payments = "payments";

    /// <summary>The functions of a Lambda deployment, by their <c>HOLIDAY_SERVICE</c> value.</summary>
    public static IReadOnlyList<string> FunctionNames { get; } = [Trips, Flights, Cars, Payments];

    /// <summary>
    /// The services each function exposes: trips carries its private saga object. Each Restate service lives in
    /// exactly one function, since two deployments exposing the same service would replace each other.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> ServicesOf { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        [Trips] = [Trips, TripSaga],
        [Flights] = [Flights],
        [Cars] = [Cars],
        [Payments] = [Payments],
    };
}

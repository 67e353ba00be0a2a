namespace Holiday.Hosting;

/// <summary>The names of the four Holiday tables; CDK sets them through the environment.</summary>
/// <param name="Flights">Flight bookings, keyed <c>pk</c> (trip id) + <c>sk</c> (booking id).</param>
/// <param name="Cars">Car rentals, keyed <c>pk</c> + <c>sk</c>.</param>
/// <param name="Payments">Payments, keyed <c>pk</c> + <c>sk</c> (payment id).</param>
/// <param name="Trips">Trip outcomes, keyed <c>pk</c> (trip id).</param>
public sealed record TableNames(string Flights, string Cars, string Payments, string Trips)
{
    /// <summary><c>Flights</c>, <c>Cars</c>, <c>Payments</c> and <c>Trips</c>.</summary>
    public static TableNames Default { get; } = new("Flights", "Cars", "Payments", "Trips");

    /// <summary>
    /// The names from <c>FLIGHTS_TABLE_NAME</c>, <c>CARS_TABLE_NAME</c>, <c>PAYMENTS_TABLE_NAME</c> and
    /// <c>TRIPS_TABLE_NAME</c>; an unset or blank variable means the <see cref="Default"/> name.
    /// </summary>
    public static TableNames FromEnvironment(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        return new TableNames(
            Read("FLIGHTS_TABLE_NAME", Default.Flights),
            Read("CARS_TABLE_NAME", Default.Cars),
            Read("PAYMENTS_TABLE_NAME", Default.Payments),
            Read("TRIPS_TABLE_NAME", Default.Trips));

        string Read(string variable, string fallback) =>
            getVariable(variable) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : fallback;
    }
}

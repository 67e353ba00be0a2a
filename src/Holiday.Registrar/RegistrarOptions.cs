namespace Holiday.Registrar;

/// <summary>
/// The registrar's time bounds. With the defaults a registration takes at most about 7.5 minutes (health wait,
/// registration retries, response), so give the function a timeout of 8 minutes or more; with a shorter one the
/// work is cut off <see cref="ResponseReserve"/> before the deadline and answered as FAILED.
/// </summary>
internal sealed record RegistrarOptions
{
    /// <summary>How long to wait for the admin API's <c>GET /health</c> to answer 200 before failing.</summary>
    public TimeSpan HealthTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long to keep retrying <c>POST /deployments</c> while Restate answers 5xx or cannot be reached (a 4xx
    /// answer fails at once).
    /// </summary>
    public TimeSpan RegistrationTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The first pause between attempts; it doubles up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest pause between attempts.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The longest single admin API request (registration runs discovery, which invokes the function).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How much of the Lambda invocation's time is kept for the response PUT: the work is cut off this long before
    /// the invocation's deadline and reported as FAILED.
    /// </summary>
    public TimeSpan ResponseReserve { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the response PUT may take, over all its attempts.</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(12);
}

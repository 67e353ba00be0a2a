namespace Holiday.Registrar;

/// <summary>
/// The registrar's time bounds. With the defaults a Create or Update takes at most about 7 minutes (health wait, then
/// registration retries) and a Delete at most <see cref="DeleteTimeout"/>, so give the function a timeout of 8 minutes
/// or more; with a shorter one the work is cut off <see cref="DeadlineReserve"/> before the deadline and fails with a
/// message that says so (instead of Lambda's bare "Task timed out").
/// </summary>
internal sealed record RegistrarOptions
{
    /// <summary>How long to wait for the admin API's <c>GET /health</c> to answer 200 before failing (tests shorten it).</summary>
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
    /// A Delete's whole budget: listing the deployments, the in-flight query and the removal, without retries. Past
    /// it the Delete gives up, logs why, and still succeeds.
    /// </summary>
    public TimeSpan DeleteTimeout { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>
    /// How much of the Lambda invocation's time is kept to fail with a clear message: the work is cut off this long
    /// before the invocation's deadline.
    /// </summary>
    public TimeSpan DeadlineReserve { get; init; } = TimeSpan.FromSeconds(5);
}

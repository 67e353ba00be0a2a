namespace Holiday.LambdaCost;

/// <summary>
/// Lambda's on-demand prices, us-east-1, first tier. NOT read from aws.amazon.com/lambda/pricing (not reachable
/// from where this was written): the figures as published AWS prices are quoted by third-party pages (e.g.
/// cloudchipr.com, "AWS Lambda Pricing Breakdown", 2024), taken on 2026-12-06; check them before quoting a dollar figure.
/// </summary>
internal static class Pricing
{
    /// <summary>Where the prices come from, for the JSON and the docs.</summary>
    public const string Source =
        "Assumption, not verified against aws.amazon.com/lambda/pricing: us-east-1 first-tier on-demand prices as quoted by " +
        "third-party pages (cloudchipr.com 'AWS Lambda Pricing Breakdown', 2024), taken 2026-12-06: x86_64 $0.0000166667 " +
        "per GB-s, arm64 $0.0000133334 per GB-s, $0.20 per million requests (both).";

    public const double X86PerGbSecond = 0.0000166667;

    public const double Arm64PerGbSecond = 0.0000133334;

    public const double PerMillionRequests = 0.20;

    /// <summary>Dollars per million trips: the requests plus the billed GB-seconds.</summary>
    public static double PerMillionTrips(double invocationsPerTrip, double gbSecondsPerTrip, string architecture) =>
        (invocationsPerTrip * PerMillionRequests) + (gbSecondsPerTrip * 1_000_000 * PerGbSecond(architecture));

    public static double PerGbSecond(string architecture) => architecture switch
    {
        "x86_64" => X86PerGbSecond,
        "arm64" => Arm64PerGbSecond,
        _ => throw new ArgumentException($"Unknown architecture '{architecture}'.", nameof(architecture)),
    };
}

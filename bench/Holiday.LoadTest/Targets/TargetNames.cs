namespace Holiday.LoadTest.Targets;

/// <summary>The values of <c>--targets</c>.</summary>
internal static class TargetNames
{
    /// <summary>Our Holiday: Holiday.Host over HTTP/2, on DynamoDB Local.</summary>
    public const string Holiday = "holiday";

    /// <summary>The limit run: the same services and host with stores that do nothing.</summary>
    public const string Noop = "noop";

    /// <summary>The TypeScript original (restatedev/restate-holiday), on DynamoDB Local.</summary>
    public const string TypeScript = "ts";

    public static IReadOnlyList<string> All { get; } = [Holiday, Noop, TypeScript];
}

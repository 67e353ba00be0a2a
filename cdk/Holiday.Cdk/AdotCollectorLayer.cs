namespace Holiday.Cdk;

/// <summary>
/// The AWS Distro for OpenTelemetry collector layer for x86_64 functions (ADOT collector for Lambda 0.117), pinned like
/// the ADOT sidecar image: the functions' default trace export, an extension that takes OTLP on localhost:4318 and
/// writes to X-Ray. AWS publishes it in <see cref="Regions"/> only; a function elsewhere cannot be created with it.
/// </summary>
public static class AdotCollectorLayer
{
    public const string Name = "aws-otel-collector-amd64-ver-0-117-0";

    /// <summary>The AWS account that publishes the ADOT layers.</summary>
    public const string PublisherAccount = "901920570463";

    /// <summary>
    /// The regions AWS publishes the ADOT collector layers to (ADOT's release workflow and its Lambda documentation,
    /// checked on <see cref="LambdaRuntimes.CheckedOn"/>). Not the China or GovCloud partitions.
    /// </summary>
    public static IReadOnlyList<string> Regions { get; } =
    [
        "us-east-1", "us-east-2", "us-west-1", "us-west-2",
        "ap-south-1", "ap-northeast-1", "ap-northeast-2", "ap-southeast-1", "ap-southeast-2",
        "ca-central-1", "eu-central-1", "eu-west-1", "eu-west-2", "eu-west-3", "eu-north-1", "sa-east-1",
    ];

    /// <summary>The layer version ARN in <paramref name="region"/> (a name or a token such as <c>AWS::Region</c>).</summary>
    public static string Arn(string region) => $"arn:aws:lambda:{region}:{PublisherAccount}:layer:{Name}:1";

    public static bool IsPublishedIn(string region) => Regions.Contains(region);
}

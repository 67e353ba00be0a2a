using System.Text.RegularExpressions;
using Amazon.CDK.AWS.Logs;

namespace Holiday.Cdk;

/// <summary>
/// The CDK context keys of the Holiday app, read and checked once. A missing or malformed key stops the synth with
/// a <see cref="DeploymentContextException"/> whose message names the key.
/// </summary>
public sealed partial record DeploymentContext
{
    public const string PrefixKey = "prefix";
    public const string DeploymentModeKey = "deploymentMode";
    public const string RestateImageKey = "restateImage";
    public const string AdotImageKey = "adotImage";
    public const string CertificateArnKey = "certificateArn";
    public const string CloudEnvironmentIdKey = "cloudEnvironmentId";
    public const string CloudRegionKey = "cloudRegion";
    public const string AuthTokenSecretArnKey = "authTokenSecretArn";
    public const string LambdaAssetPathKey = "lambdaAssetPath";
    public const string RegistrarAssetPathKey = "registrarAssetPath";
    public const string LambdaCollectorLayerKey = "lambdaCollectorLayerArn";
    public const string LogRetentionDaysKey = "logRetentionDays";
    public const string IngressAllowedCidrKey = "ingressAllowedCidr";
    public const string RetainDataKey = "retainData";
    public const string BootstrapBuildKey = "bootstrapBuild";

    public const string SelfHostedModeName = "self-hosted";
    public const string CloudModeName = "cloud";

    /// <summary>restate-server 1.7, the version the local run and the tests use.</summary>
    public const string DefaultRestateImage = "docker.restate.dev/restatedev/restate:1.7.12";

    /// <summary>The AWS Distro for OpenTelemetry collector, pinned: <c>latest</c> would change under a running stack.</summary>
    public const string DefaultAdotImage = "public.ecr.aws/aws-observability/aws-otel-collector:v0.41.1";

    public const string DefaultCloudRegion = "us";

    /// <summary>Every IPv4 address: the ingress load balancer's default audience (synth warns about it).</summary>
    public const string AnyIpv4 = "0.0.0.0/0";

    public const string LocalBuildName = "local";
    public const string ContainerBuildName = "container";

    /// <summary>The value of <see cref="LambdaCollectorLayerKey"/> that turns the functions' trace export off.</summary>
    public const string NoCollectorLayer = "none";

    /// <summary>How long every log group keeps its events unless <see cref="LogRetentionDaysKey"/> says otherwise.</summary>
    public const int DefaultLogRetentionDays = 30;

    /// <summary>The retention periods CloudWatch Logs accepts, in days.</summary>
    public static IReadOnlyList<int> LogRetentionChoices { get; } =
        [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

    /// <summary>The projects synth publishes when no asset folder is given, relative to the repository root.</summary>
    public const string LambdaProject = "src/Holiday.Lambda/Holiday.Lambda.csproj";

    public const string RegistrarProject = "src/Holiday.Registrar/Holiday.Registrar.csproj";

    /// <summary>Prepended to stack names and the log group path; null when not set.</summary>
    public string? Prefix { get; init; }

    public DeploymentMode Mode { get; init; } = DeploymentMode.SelfHosted;

    public string RestateImage { get; init; } = DefaultRestateImage;

    public string AdotImage { get; init; } = DefaultAdotImage;

    /// <summary>An ACM certificate for the ingress load balancer (self-hosted): HTTPS on 443 when set, else HTTP on 80.</summary>
    public string? CertificateArn { get; init; }

    /// <summary>Set exactly when <see cref="Mode"/> is <see cref="DeploymentMode.Cloud"/>.</summary>
    public RestateCloudSettings? Cloud { get; init; }

    /// <summary>A folder already holding the Holiday functions' Native AOT <c>bootstrap</c>; null: synth publishes <see cref="LambdaProject"/>.</summary>
    public string? LambdaAssetPath { get; init; }

    /// <summary>A folder already holding the registrar's Native AOT <c>bootstrap</c>; null: synth publishes <see cref="RegistrarProject"/>.</summary>
    public string? RegistrarAssetPath { get; init; }

    /// <summary>
    /// Where the Holiday functions send their spans: a Lambda layer version ARN of an OpenTelemetry collector extension
    /// that listens for OTLP on localhost:4318. Null: the ADOT collector layer of the stack's region
    /// (<see cref="AdotCollectorLayer"/>), where AWS publishes one. Ignored when <see cref="LambdaTracing"/> is false.
    /// </summary>
    public string? LambdaCollectorLayerArn { get; init; }

    /// <summary>False when the context says <c>lambdaCollectorLayerArn=none</c>: no layer, no OTLP export, no X-Ray rights.</summary>
    public bool LambdaTracing { get; init; } = true;

    /// <summary>How long every log group of both stacks keeps its events, in days (one of <see cref="LogRetentionChoices"/>).</summary>
    public int LogRetentionDays { get; init; } = DefaultLogRetentionDays;

    /// <summary><see cref="LogRetentionDays"/> as CDK's enumeration.</summary>
    public RetentionDays LogRetention => LogRetentionDays switch
    {
        1 => RetentionDays.ONE_DAY,
        3 => RetentionDays.THREE_DAYS,
        5 => RetentionDays.FIVE_DAYS,
        7 => RetentionDays.ONE_WEEK,
        14 => RetentionDays.TWO_WEEKS,
        30 => RetentionDays.ONE_MONTH,
        60 => RetentionDays.TWO_MONTHS,
        90 => RetentionDays.THREE_MONTHS,
        120 => RetentionDays.FOUR_MONTHS,
        150 => RetentionDays.FIVE_MONTHS,
        180 => RetentionDays.SIX_MONTHS,
        365 => RetentionDays.ONE_YEAR,
        400 => RetentionDays.THIRTEEN_MONTHS,
        545 => RetentionDays.EIGHTEEN_MONTHS,
        731 => RetentionDays.TWO_YEARS,
        1096 => RetentionDays.THREE_YEARS,
        1827 => RetentionDays.FIVE_YEARS,
        2192 => RetentionDays.SIX_YEARS,
        2557 => RetentionDays.SEVEN_YEARS,
        2922 => RetentionDays.EIGHT_YEARS,
        3288 => RetentionDays.NINE_YEARS,
        3653 => RetentionDays.TEN_YEARS,
        var days => throw new InvalidOperationException($"{days} days is not a CloudWatch Logs retention period."),
    };

    /// <summary>
    /// The region both stacks deploy to when synth knows it (the CDK CLI passes the configured region as
    /// <c>CDK_DEFAULT_REGION</c>); null: environment-agnostic stacks, whose region-dependent choices are made by
    /// CloudFormation at deploy time.
    /// </summary>
    public string? Region { get; init; }

    /// <summary>The IPv4 range the ingress load balancer admits (self-hosted); <see cref="AnyIpv4"/> by default.</summary>
    public string IngressAllowedCidr { get; init; } = AnyIpv4;

    /// <summary>
    /// True: the tables and the journal outlive the stacks and are backed up (point-in-time recovery, EFS backups).
    /// False (the default): a disposable demo that <c>cdk destroy</c> removes entirely.
    /// </summary>
    public bool RetainData { get; init; }

    /// <summary>Where synth publishes the Native AOT bootstraps: on this machine (Linux x64), or in a container.</summary>
    public BootstrapBuild BootstrapBuild { get; init; } = BootstrapBuild.Local;

    /// <summary>The folder holding <c>src/</c>: the working directory, since the CDK CLI runs the app from cdk.json's folder.</summary>
    public string RepositoryRoot { get; init; } = Directory.GetCurrentDirectory();

    /// <summary><c>name</c>, or <c>prefix-name</c>.</summary>
    public string StackName(string name) => Prefix is null ? name : $"{Prefix}-{name}";

    /// <summary><c>/restate/restate</c>, or <c>/restate/&lt;prefix&gt;/restate</c>.</summary>
    public string RestateLogGroupName => Prefix is null ? "/restate/restate" : $"/restate/{Prefix}/restate";

    /// <summary>Reads and checks the context.</summary>
    /// <param name="tryGetContext">Returns a context value or null, as <c>Node.TryGetContext</c> does.</param>
    /// <param name="region">The region synth targets, when known (see <see cref="Region"/>).</param>
    /// <exception cref="DeploymentContextException">A key is missing, malformed, or does not fit the mode or the region.</exception>
    public static DeploymentContext Read(Func<string, object?> tryGetContext, string? region = null)
    {
        ArgumentNullException.ThrowIfNull(tryGetContext);
        region = string.IsNullOrWhiteSpace(region) ? null : region.Trim();
        if (region is not null && !AwsRegionPattern().IsMatch(region))
        {
            throw new DeploymentContextException(
                $"The target region is \"{region}\" (CDK_DEFAULT_REGION, from AWS_REGION or your AWS profile), which is not an AWS region name such as eu-west-1.");
        }
        string? Get(string key) => tryGetContext(key)?.ToString() is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        var prefix = Get(PrefixKey);
        if (prefix is not null && !PrefixPattern().IsMatch(prefix))
        {
            throw new DeploymentContextException(
                $"Context key \"{PrefixKey}\" is \"{prefix}\"; it must start with a letter and hold only letters, digits and '-' (at most 40), since it becomes part of stack names.");
        }

        var modeName = Get(DeploymentModeKey) ?? SelfHostedModeName;
        var mode = modeName switch
        {
            SelfHostedModeName => DeploymentMode.SelfHosted,
            CloudModeName => DeploymentMode.Cloud,
            _ => throw new DeploymentContextException(
                $"Unknown context value {DeploymentModeKey}=\"{modeName}\"; expected \"{SelfHostedModeName}\" or \"{CloudModeName}\"."),
        };

        var certificateArn = Get(CertificateArnKey);
        RestateCloudSettings? cloud = null;
        if (mode == DeploymentMode.Cloud)
        {
            if (certificateArn is not null)
            {
                throw new DeploymentContextException(
                    $"Context key \"{CertificateArnKey}\" applies to {DeploymentModeKey}={SelfHostedModeName} only; Restate Cloud serves its own HTTPS, so remove it.");
            }
            cloud = ReadCloud(Get);
            if (region is not null && cloud.AuthTokenSecretRegion != region)
            {
                throw new DeploymentContextException(
                    $"Context key \"{AuthTokenSecretArnKey}\" names a secret in {cloud.AuthTokenSecretRegion}, but the stacks deploy to {region}; " +
                    "the registrar reads it through Parameter Store, which cannot reach another region: replicate the secret to " +
                    $"{region} (aws secretsmanager replicate-secret-to-regions) and pass the replica's ARN.");
            }
        }
        else
        {
            if (Get(CloudEnvironmentIdKey) is not null || Get(AuthTokenSecretArnKey) is not null)
            {
                var key = Get(CloudEnvironmentIdKey) is not null ? CloudEnvironmentIdKey : AuthTokenSecretArnKey;
                throw new DeploymentContextException(
                    $"Context key \"{key}\" is set but {DeploymentModeKey} is \"{SelfHostedModeName}\"; add -c {DeploymentModeKey}={CloudModeName} to deploy against Restate Cloud, or remove the key.");
            }
            if (certificateArn is not null && !CertificateArnPattern().IsMatch(certificateArn))
            {
                throw new DeploymentContextException(
                    $"Context key \"{CertificateArnKey}\" is \"{certificateArn}\", which is not an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>).");
            }
        }

        var collectorLayer = Get(LambdaCollectorLayerKey);
        var lambdaTracing = !string.Equals(collectorLayer, NoCollectorLayer, StringComparison.OrdinalIgnoreCase);
        if (lambdaTracing && collectorLayer is not null && !LayerVersionArnPattern().IsMatch(collectorLayer))
        {
            throw new DeploymentContextException(
                $"Context key \"{LambdaCollectorLayerKey}\" is \"{collectorLayer}\", which is not a Lambda layer version ARN " +
                $"(arn:aws:lambda:<region>:<account>:layer:<name>:<version>); use \"{NoCollectorLayer}\" to deploy the functions without trace export.");
        }
        if (lambdaTracing && collectorLayer is not null && region is not null && RegionOfArn(collectorLayer) != region)
        {
            throw new DeploymentContextException(
                $"Context key \"{LambdaCollectorLayerKey}\" names a layer in {RegionOfArn(collectorLayer)}, but the stacks deploy to {region}; " +
                $"a function can only use layers of its own region: give that region's layer version ARN, or \"{NoCollectorLayer}\".");
        }

        var retentionText = Get(LogRetentionDaysKey);
        var retention = DefaultLogRetentionDays;
        if (retentionText is not null
            && (!int.TryParse(retentionText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out retention)
                || !LogRetentionChoices.Contains(retention)))
        {
            throw new DeploymentContextException(
                $"Context key \"{LogRetentionDaysKey}\" is \"{retentionText}\"; CloudWatch Logs keeps events for one of these numbers of days: {string.Join(", ", LogRetentionChoices)}.");
        }

        var ingressCidr = Get(IngressAllowedCidrKey) ?? AnyIpv4;
        // A range with address bits past its prefix (203.0.113.7/24) is refused too: it reads like one address.
        if (!Ipv4CidrPattern().IsMatch(ingressCidr) || !System.Net.IPNetwork.TryParse(ingressCidr, out var network) || network.ToString() != ingressCidr)
        {
            throw new DeploymentContextException(
                $"Context key \"{IngressAllowedCidrKey}\" is \"{ingressCidr}\", which is not an IPv4 range in CIDR notation with no address bits past the prefix, such as 203.0.113.0/24 (or 203.0.113.7/32 for one address).");
        }
        if (mode == DeploymentMode.Cloud && Get(IngressAllowedCidrKey) is not null)
        {
            throw new DeploymentContextException(
                $"Context key \"{IngressAllowedCidrKey}\" applies to {DeploymentModeKey}={SelfHostedModeName} only; Restate Cloud's ingress is not in your account, so remove it.");
        }

        var retainData = ReadFlag(Get, RetainDataKey);
        var build = Get(BootstrapBuildKey) switch
        {
            null or LocalBuildName => BootstrapBuild.Local,
            ContainerBuildName => BootstrapBuild.Container,
            var other => throw new DeploymentContextException(
                $"Unknown context value {BootstrapBuildKey}=\"{other}\"; expected \"{LocalBuildName}\" (dotnet publish on this Linux x64 machine) or \"{ContainerBuildName}\" (in an Amazon Linux 2023 container, needs Docker)."),
        };

        return new DeploymentContext
        {
            Prefix = prefix,
            Mode = mode,
            RestateImage = Get(RestateImageKey) ?? DefaultRestateImage,
            AdotImage = Get(AdotImageKey) ?? DefaultAdotImage,
            CertificateArn = mode == DeploymentMode.SelfHosted ? certificateArn : null,
            Cloud = cloud,
            LambdaAssetPath = Get(LambdaAssetPathKey),
            RegistrarAssetPath = Get(RegistrarAssetPathKey),
            LambdaTracing = lambdaTracing,
            LambdaCollectorLayerArn = lambdaTracing ? collectorLayer : null,
            LogRetentionDays = retention,
            Region = region,
            IngressAllowedCidr = ingressCidr,
            RetainData = retainData,
            BootstrapBuild = build,
        };
    }

    /// <summary>A true/false key; absent is false. cdk.json gives a JSON boolean, <c>-c key=true</c> a string.</summary>
    private static bool ReadFlag(Func<string, string?> get, string key) => get(key)?.ToLowerInvariant() switch
    {
        null or "false" => false,
        "true" => true,
        var other => throw new DeploymentContextException($"Context key \"{key}\" is \"{other}\"; it must be true or false."),
    };

    /// <summary>The region field of an ARN (<c>arn:partition:service:region:…</c>).</summary>
    internal static string RegionOfArn(string arn) => arn.Split(':')[3];

    private static RestateCloudSettings ReadCloud(Func<string, string?> get)
    {
        var environmentId = get(CloudEnvironmentIdKey) ?? throw Missing(CloudEnvironmentIdKey, "the Restate Cloud environment id, e.g. -c cloudEnvironmentId=env_201…");
        if (!EnvironmentIdPattern().IsMatch(environmentId))
        {
            throw new DeploymentContextException(
                $"Context key \"{CloudEnvironmentIdKey}\" is \"{environmentId}\"; a Restate Cloud environment id looks like env_201abc… (\"env_\" and lowercase letters or digits).");
        }

        var region = get(CloudRegionKey) ?? DefaultCloudRegion;
        if (!RegionPattern().IsMatch(region))
        {
            throw new DeploymentContextException(
                $"Context key \"{CloudRegionKey}\" is \"{region}\"; it must be a Restate Cloud region such as \"us\" or \"eu\".");
        }

        var secretArn = get(AuthTokenSecretArnKey) ?? throw Missing(AuthTokenSecretArnKey, "the complete ARN of the Secrets Manager secret holding a Restate Cloud admin API key");
        var secret = SecretArnPattern().Match(secretArn);
        if (!secret.Success)
        {
            throw new DeploymentContextException(
                $"Context key \"{AuthTokenSecretArnKey}\" is \"{secretArn}\", which is not a complete Secrets Manager secret ARN " +
                "(arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>, as `aws secretsmanager describe-secret` prints it).");
        }
        return new RestateCloudSettings(environmentId, region, secretArn, secret.Groups["name"].Value);
    }

    private static DeploymentContextException Missing(string key, string what) =>
        new($"Required context key \"{key}\" is missing: {DeploymentModeKey}={CloudModeName} needs {what}.");

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9-]{0,39}$")]
    private static partial Regex PrefixPattern();

    [GeneratedRegex("^env_[a-z0-9]+$")]
    private static partial Regex EnvironmentIdPattern();

    [GeneratedRegex("^[a-z][a-z0-9-]{1,20}$")]
    private static partial Regex RegionPattern();

    [GeneratedRegex(@"^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:(?<name>[A-Za-z0-9/_+=.@-]+)-[A-Za-z0-9]{6}$")]
    private static partial Regex SecretArnPattern();

    [GeneratedRegex(@"^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:layer:[A-Za-z0-9_-]{1,140}:\d+$")]
    private static partial Regex LayerVersionArnPattern();

    [GeneratedRegex(@"^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[A-Za-z0-9-]+$")]
    private static partial Regex CertificateArnPattern();

    [GeneratedRegex(@"^[a-z]{2}(-[a-z]+)+-\d$")]
    private static partial Regex AwsRegionPattern();

    [GeneratedRegex(@"^\d{1,3}(\.\d{1,3}){3}/\d{1,2}$")]
    private static partial Regex Ipv4CidrPattern();
}

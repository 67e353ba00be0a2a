namespace Holiday.Cdk.Tests;

public sealed class DeploymentContextTests
{
    private static DeploymentContext Read(params (string Key, object Value)[] values) => ReadIn(null, values);

    private static DeploymentContext ReadIn(string? region, params (string Key, object Value)[] values)
    {
        var context = values.ToDictionary(v => v.Key, v => v.Value);
        return DeploymentContext.Read(key => context.GetValueOrDefault(key), region);
    }

    private static string ReadError(params (string Key, object Value)[] values) =>
        Assert.Throws<DeploymentContextException>(() => Read(values)).Message;

    private static string ReadErrorIn(string region, params (string Key, object Value)[] values) =>
        Assert.Throws<DeploymentContextException>(() => ReadIn(region, values)).Message;

    private static readonly (string, object)[] CloudKeys =
    [
        ("deploymentMode", "cloud"),
        ("cloudEnvironmentId", CdkFixture.CloudEnvironmentId),
        ("authTokenSecretArn", CdkFixture.AuthTokenSecretArn),
    ];

    [Fact]
    public void Read_NoKeys_IsSelfHostedWithDefaults()
    {
        var context = Read();

        Assert.Equal(DeploymentMode.SelfHosted, context.Mode);
        Assert.Null(context.Prefix);
        Assert.Null(context.Cloud);
        Assert.Null(context.CertificateArn);
        Assert.Equal("docker.restate.dev/restatedev/restate:1.7.12", context.RestateImage);
        // No asset folders: synth publishes the projects itself.
        Assert.Null(context.LambdaAssetPath);
        Assert.Null(context.RegistrarAssetPath);
        Assert.Equal("RestateStack", context.StackName("RestateStack"));
        Assert.Equal("/restate/restate", context.RestateLogGroupName);
    }

    [Fact]
    public void Read_Prefix_PrefixesStackNamesAndTheLogGroup()
    {
        var context = Read(("prefix", "demo"));

        Assert.Equal("demo-HolidayStack", context.StackName("HolidayStack"));
        Assert.Equal("/restate/demo/restate", context.RestateLogGroupName);
    }

    [Fact]
    public void Read_PrefixThatCannotNameAStack_NamesTheKey()
    {
        var message = ReadError(("prefix", "my prefix"));

        Assert.Contains("\"prefix\"", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownMode_IsOneSentenceNamingTheKeyAndTheChoices()
    {
        var message = ReadError(("deploymentMode", "kubernetes"));

        Assert.Equal("Unknown context value deploymentMode=\"kubernetes\"; expected \"self-hosted\" or \"cloud\".", message);
    }

    [Fact]
    public void Read_CloudWithoutEnvironmentId_NamesTheMissingKey()
    {
        var message = ReadError(("deploymentMode", "cloud"), ("authTokenSecretArn", CdkFixture.AuthTokenSecretArn));

        Assert.StartsWith("Required context key \"cloudEnvironmentId\" is missing", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CloudWithoutAuthTokenSecretArn_NamesTheMissingKey()
    {
        var message = ReadError(("deploymentMode", "cloud"), ("cloudEnvironmentId", CdkFixture.CloudEnvironmentId));

        Assert.StartsWith("Required context key \"authTokenSecretArn\" is missing", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("201kb7y8wxs1nk6t81wyx88dn2q")]
    [InlineData("env_")]
    [InlineData("env_UPPER")]
    public void Read_MalformedEnvironmentId_NamesTheKey(string environmentId)
    {
        var message = ReadError(("deploymentMode", "cloud"), ("cloudEnvironmentId", environmentId), ("authTokenSecretArn", CdkFixture.AuthTokenSecretArn));

        Assert.StartsWith("Context key \"cloudEnvironmentId\"", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("holiday/restate-cloud-api-key")]
    [InlineData("arn:aws:secretsmanager:eu-central-1:123456789012:secret:token")]
    [InlineData("arn:aws:ssm:eu-central-1:123456789012:parameter/token-AbC123")]
    public void Read_SecretThatIsNotACompleteArn_NamesTheKey(string secret)
    {
        var message = ReadError(("deploymentMode", "cloud"), ("cloudEnvironmentId", CdkFixture.CloudEnvironmentId), ("authTokenSecretArn", secret));

        Assert.StartsWith("Context key \"authTokenSecretArn\"", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Cloud_DerivesRestateCloudUrlsAndTheTokenParameter()
    {
        var cloud = Read(
            ("deploymentMode", "cloud"),
            ("cloudEnvironmentId", CdkFixture.CloudEnvironmentId),
            ("cloudRegion", "eu"),
            ("authTokenSecretArn", CdkFixture.AuthTokenSecretArn)).Cloud!;

        Assert.Equal("https://201kb7y8wxs1nk6t81wyx88dn2q.env.eu.restate.cloud:9070", cloud.AdminUrl);
        Assert.Equal("https://201kb7y8wxs1nk6t81wyx88dn2q.env.eu.restate.cloud", cloud.IngressUrl);
        Assert.Equal("holiday/restate-cloud-api-key", cloud.AuthTokenSecretName);
        Assert.Equal("/aws/reference/secretsmanager/holiday/restate-cloud-api-key", cloud.AuthTokenParameter);
    }

    [Fact]
    public void Read_CloudWithoutRegion_IsUs()
    {
        var cloud = Read(
            ("deploymentMode", "cloud"),
            ("cloudEnvironmentId", CdkFixture.CloudEnvironmentId),
            ("authTokenSecretArn", CdkFixture.AuthTokenSecretArn)).Cloud!;

        Assert.Equal("https://201kb7y8wxs1nk6t81wyx88dn2q.env.us.restate.cloud:9070", cloud.AdminUrl);
    }

    [Fact]
    public void Read_CloudKeyWithoutCloudMode_AsksForTheMode()
    {
        // Forgetting deploymentMode=cloud would otherwise deploy a whole ECS stack.
        var message = ReadError(("cloudEnvironmentId", CdkFixture.CloudEnvironmentId));

        Assert.Contains("-c deploymentMode=cloud", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CertificateInCloudMode_NamesTheKey()
    {
        var message = ReadError(
            ("deploymentMode", "cloud"),
            ("cloudEnvironmentId", CdkFixture.CloudEnvironmentId),
            ("authTokenSecretArn", CdkFixture.AuthTokenSecretArn),
            ("certificateArn", CdkFixture.CertificateArn));

        Assert.StartsWith("Context key \"certificateArn\"", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MalformedCertificateArn_NamesTheKey()
    {
        var message = ReadError(("certificateArn", "restate.example.com"));

        Assert.StartsWith("Context key \"certificateArn\"", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NoObservabilityKeys_TracesThroughTheDefaultLayerAndKeepsLogsAMonth()
    {
        var context = Read();

        Assert.True(context.LambdaTracing);
        Assert.Null(context.LambdaCollectorLayerArn);
        Assert.Equal(30, context.LogRetentionDays);
        Assert.Equal(
            "arn:aws:lambda:eu-west-1:901920570463:layer:aws-otel-collector-amd64-ver-0-117-0:1",
            AdotCollectorLayer.Arn("eu-west-1"));
    }

    [Fact]
    public void Read_CollectorLayerNone_TurnsLambdaTracingOff()
    {
        var context = Read(("lambdaCollectorLayerArn", "none"));

        Assert.False(context.LambdaTracing);
        Assert.Null(context.LambdaCollectorLayerArn);
    }

    [Fact]
    public void Read_CollectorLayerThatIsNoLayerVersionArn_NamesTheKeyAndTheWayOut()
    {
        // A layer ARN without its version cannot be attached to a function.
        var message = ReadError(("lambdaCollectorLayerArn", "arn:aws:lambda:eu-west-1:901920570463:layer:aws-otel-collector-amd64-ver-0-117-0"));

        Assert.Contains("\"lambdaCollectorLayerArn\"", message, StringComparison.Ordinal);
        Assert.Contains("layer:<name>:<version>", message, StringComparison.Ordinal);
        Assert.Contains("\"none\"", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10")]
    [InlineData("a month")]
    [InlineData("-7")]
    public void Read_LogRetentionCloudWatchDoesNotOffer_NamesTheKeyAndTheChoices(string days)
    {
        var message = ReadError(("logRetentionDays", days));

        Assert.Contains($"\"logRetentionDays\" is \"{days}\"", message, StringComparison.Ordinal);
        Assert.Contains("1, 3, 5, 7, 14, 30, 60, 90,", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LogRetentionOfAYear_IsTaken()
    {
        var context = Read(("logRetentionDays", "365"));

        Assert.Equal(365, context.LogRetentionDays);
        Assert.Equal(Amazon.CDK.AWS.Logs.RetentionDays.ONE_YEAR, context.LogRetention);
    }

    [Fact]
    public void Read_NoNewKeys_IsADisposableDemoOpenToTheWorldBuiltHereWithoutARegion()
    {
        var context = Read();

        Assert.Null(context.Region);
        Assert.Equal("0.0.0.0/0", context.IngressAllowedCidr);
        Assert.False(context.RetainData);
        Assert.Equal(BootstrapBuild.Local, context.BootstrapBuild);
    }

    [Fact]
    public void Read_NewKeys_AreTaken()
    {
        var context = ReadIn("eu-west-1", ("ingressAllowedCidr", "203.0.113.0/24"), ("retainData", true), ("bootstrapBuild", "container"));

        Assert.Equal("eu-west-1", context.Region);
        Assert.Equal("203.0.113.0/24", context.IngressAllowedCidr);
        Assert.True(context.RetainData);
        Assert.Equal(BootstrapBuild.Container, context.BootstrapBuild);
        // -c retainData=false arrives as a string.
        Assert.False(Read(("retainData", "false")).RetainData);
    }

    [Theory]
    [InlineData("203.0.113.7")]
    [InlineData("203.0.113.7/24")]
    [InlineData("2001:db8::/32")]
    [InlineData("300.0.0.0/8")]
    [InlineData("everyone")]
    public void Read_IngressCidrThatIsNoIpv4Range_NamesTheKey(string cidr)
    {
        var message = ReadError(("ingressAllowedCidr", cidr));

        Assert.StartsWith($"Context key \"ingressAllowedCidr\" is \"{cidr}\", which is not an IPv4 range in CIDR notation", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_IngressCidrInCloudMode_NamesTheKey()
    {
        var message = ReadError([.. CloudKeys, ("ingressAllowedCidr", "203.0.113.0/24")]);

        Assert.StartsWith("Context key \"ingressAllowedCidr\" applies to deploymentMode=self-hosted only", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("retainData", "yes", "Context key \"retainData\" is \"yes\"; it must be true or false.")]
    [InlineData("bootstrapBuild", "docker", "Unknown context value bootstrapBuild=\"docker\"; expected \"local\"")]
    public void Read_MalformedNewKey_NamesIt(string key, string value, string message)
    {
        Assert.StartsWith(message, ReadError((key, value)), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RegionThatIsNoRegionName_NamesWhereItCameFrom()
    {
        var message = ReadErrorIn("Europe");

        Assert.StartsWith("The target region is \"Europe\" (CDK_DEFAULT_REGION, from AWS_REGION or your AWS profile)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CloudSecretInAnotherRegion_SaysParameterStoreCannotReachIt()
    {
        // The fixture's secret lives in eu-central-1.
        var message = ReadErrorIn("us-east-1", CloudKeys);

        Assert.StartsWith("Context key \"authTokenSecretArn\" names a secret in eu-central-1, but the stacks deploy to us-east-1;", message, StringComparison.Ordinal);
        Assert.Contains("replicate-secret-to-regions", message, StringComparison.Ordinal);
        Assert.Equal("eu-central-1", ReadIn("eu-central-1", CloudKeys).Cloud!.AuthTokenSecretRegion);
    }

    [Fact]
    public void Read_CollectorLayerInAnotherRegion_NamesTheKeyAndBothRegions()
    {
        const string Layer = "arn:aws:lambda:eu-central-1:123456789012:layer:my-collector:7";

        var message = ReadErrorIn("eu-west-1", ("lambdaCollectorLayerArn", Layer));

        Assert.StartsWith("Context key \"lambdaCollectorLayerArn\" names a layer in eu-central-1, but the stacks deploy to eu-west-1;", message, StringComparison.Ordinal);
        Assert.Equal(Layer, ReadIn("eu-central-1", ("lambdaCollectorLayerArn", Layer)).LambdaCollectorLayerArn);
    }
}

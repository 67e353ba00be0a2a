using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.CustomResources;
using Constructs;
using LambdaVersion = Amazon.CDK.AWS.Lambda.Version_;

namespace Holiday.Cdk;

/// <summary>What <see cref="RestateRegistrar"/> needs to know.</summary>
public sealed class RestateRegistrarProps
{
    /// <summary>The registrar's Native AOT <c>bootstrap</c>.</summary>
    public required Code Code { get; init; }

    /// <summary>Where Restate runs.</summary>
    public required RestateEnvironment Restate { get; init; }

    /// <summary>How long the registrar's and the framework's log groups keep their events.</summary>
    public required RetentionDays LogRetention { get; init; }
}

/// <summary>
/// The registrar (src/Holiday.Registrar, a Native AOT custom-runtime Lambda) behind CDK's custom-resource provider
/// framework, and the custom resources it serves: one per function version, each registering that version with
/// Restate's admin API (<c>POST /deployments {arn, assume_role_arn}</c>). The framework's Node.js function is the
/// service token: it invokes the registrar as its onEvent handler and answers CloudFormation (SUCCESS with the
/// registrar's result, FAILED with its error message).
/// </summary>
public sealed class RestateRegistrar : Construct
{
    public const string ResourceType = "Custom::RestateDeployment";

    /// <summary>The registrar waits up to 5 minutes for the admin API's health, then retries registering for 2.</summary>
    public static readonly Duration HandlerTimeout = Duration.Minutes(10);

    /// <summary>
    /// How long CloudFormation waits for an answer: past the registrar's timeout (after which the framework reports
    /// FAILED), at the framework function's own 15 minutes, far below CloudFormation's 1-hour default.
    /// </summary>
    public const int ServiceTimeoutSeconds = 900;

    /// <summary>The template mapping through which CDK picks its default Node.js runtime per region.</summary>
    public const string DefaultNodeRuntimeMapping = "LatestNodeRuntimeMap";

    private readonly RestateEnvironment _restate;

    public RestateRegistrar(Construct scope, string id, RestateRegistrarProps props) : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        var restate = props.Restate;
        _restate = restate;

        var functionProps = new FunctionProps
        {
            Description = "Registers Holiday Lambda versions with Restate (onEvent handler of the custom-resource provider)",
            Runtime = Runtime.PROVIDED_AL2023,
            Architecture = Architecture.X86_64,
            Handler = "bootstrap",
            Code = props.Code,
            MemorySize = 256,
            Timeout = HandlerTimeout,
            LogGroup = new LogGroup(this, "Logs", new LogGroupProps
            {
                Retention = props.LogRetention,
                RemovalPolicy = RemovalPolicy.DESTROY,
            }),
        };
        if (restate.AdminNetwork is { } network)
        {
            // The self-hosted admin API is private: run next to it, in the isolated subnets, in the one security group
            // its load balancer admits. The registrar calls nothing else: the provider framework (outside the VPC)
            // answers CloudFormation.
            functionProps.Vpc = network.Vpc;
            functionProps.VpcSubnets = new SubnetSelection { SubnetType = SubnetType.PRIVATE_ISOLATED };
            functionProps.SecurityGroups = [network.ClientSecurityGroup];
        }
        Function = new Function(this, "Default", functionProps);

        // The framework's function runs outside any VPC: it only invokes the registrar and PUTs to CloudFormation's
        // pre-signed S3 URL. CDK refuses totalTimeout without an isComplete handler (a synchronous onEvent has no
        // waiter to bound), so the bound is the registrar's timeout and ServiceTimeoutSeconds.
        Provider = new Provider(this, "Provider", new ProviderProps
        {
            OnEventHandler = Function,
            LogGroup = new LogGroup(this, "ProviderLogs", new LogGroupProps
            {
                Retention = props.LogRetention,
                RemovalPolicy = RemovalPolicy.DESTROY,
            }),
        });
        PinFrameworkRuntime();

        if (restate.Cloud is { } cloud)
        {
            // The API key is read through Parameter Store's Secrets Manager reference, which checks both permissions.
            var stack = Stack.Of(this);
            Function.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
            {
                Actions = ["ssm:GetParameter"],
                Resources = [$"arn:{stack.Partition}:ssm:{stack.Region}:{stack.Account}:parameter{cloud.AuthTokenParameter}"],
            }));
            Function.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
            {
                Actions = ["secretsmanager:GetSecretValue"],
                Resources = [cloud.AuthTokenSecretArn],
            }));
            // Parameter Store reads the secret only in its own region: where synth does not know the stack's region,
            // CloudFormation checks it before creating anything.
            RegionRule.Require(this, "AuthTokenSecretInStackRegion", cloud.AuthTokenSecretRegion,
                $"The Restate Cloud API key secret ({cloud.AuthTokenSecretArn}) must be in the region the stack deploys to: the registrar reads it through Parameter Store, which cannot reach another region.");
        }
    }

    /// <summary>
    /// Amazon.CDK.Lib 2.160 gives the framework's function the Node.js runtime of a per-region mapping (nodejs20.x,
    /// nodejs18.x in China), on which Lambda no longer creates functions. The function gets <see cref="LambdaRuntimes.NodeJs"/>
    /// in every partition, and the mapping, now unused, leaves the template.
    /// </summary>
    private void PinFrameworkRuntime()
    {
        var framework = Provider.Node.FindAll().OfType<CfnFunction>().Single();
        framework.Runtime = LambdaRuntimes.NodeJs;
        Stack.Of(this).Node.TryRemoveChild(DefaultNodeRuntimeMapping);
    }

    public Function Function { get; }

    /// <summary>The provider framework whose service token the registrations use.</summary>
    public Provider Provider { get; }

    /// <summary>
    /// Registers <paramref name="version"/>. The resource lives under the version and depends on it: a new version
    /// (new code or configuration) changes <c>DeploymentArn</c>, which CloudFormation sends as an Update, which
    /// registers the new version under a new physical id. CloudFormation then sends a Delete for the old one, which
    /// removes its Restate deployment if no invocation is in flight on it, and leaves it registered otherwise (the
    /// function version itself is retained either way).
    /// </summary>
    /// <param name="version">The version to register.</param>
    /// <param name="expectedServices">The Restate services the version must expose; creation fails otherwise.</param>
    public CustomResource Register(LambdaVersion version, IReadOnlyList<string> expectedServices)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(expectedServices);

        var properties = new Dictionary<string, object>
        {
            ["AdminUrl"] = _restate.AdminUrl,
            ["DeploymentArn"] = version.FunctionArn,
            ["AssumeRoleArn"] = _restate.InvokerRole.RoleArn,
            ["ExpectedServices"] = string.Join(",", expectedServices),
            // A CloudFormation setting, not for the handler: bounds the wait if the handler dies without answering.
            ["ServiceTimeout"] = ServiceTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (_restate.Cloud is { } cloud)
        {
            properties["AuthTokenParameter"] = cloud.AuthTokenParameter;
        }

        var resource = new CustomResource(version, "RestateRegistration", new CustomResourceProps
        {
            ServiceToken = Provider.ServiceToken,
            ResourceType = ResourceType,
            Properties = properties,
        });
        resource.Node.AddDependency(version);
        return resource;
    }
}

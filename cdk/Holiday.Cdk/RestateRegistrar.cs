using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Constructs;
using LambdaVersion = Amazon.CDK.AWS.Lambda.Version_;

namespace Holiday.Cdk;

/// <summary>
/// The registrar (src/Holiday.Registrar, a Native AOT custom-runtime Lambda) and the custom resources it serves: one
/// per function version, each registering that version with Restate's admin API
/// (<c>POST /deployments {arn, assume_role_arn}</c>). The function is the resource's service token directly, so it
/// answers CloudFormation itself, by PUT to the event's <c>ResponseURL</c>.
/// </summary>
public sealed class RestateRegistrar : Construct
{
    public const string ResourceType = "Custom::RestateDeployment";

    /// <summary>The registrar waits up to 5 minutes for the admin API's health, then retries registering for 2.</summary>
    public static readonly Duration HandlerTimeout = Duration.Minutes(10);

    /// <summary>How long CloudFormation waits for an answer: past the handler's own timeout, far below the 1-hour default.</summary>
    public const int ServiceTimeoutSeconds = 900;

    private readonly RestateEnvironment _restate;

    public RestateRegistrar(Construct scope, string id, Code code, RestateEnvironment restate) : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(restate);
        _restate = restate;

        var props = new FunctionProps
        {
            Description = "Registers Holiday Lambda versions with Restate (CloudFormation custom resource)",
            Runtime = Runtime.PROVIDED_AL2023,
            Architecture = Architecture.X86_64,
            Handler = "bootstrap",
            Code = code,
            MemorySize = 256,
            Timeout = HandlerTimeout,
            LogGroup = new LogGroup(this, "Logs", new LogGroupProps
            {
                Retention = RetentionDays.ONE_MONTH,
                RemovalPolicy = RemovalPolicy.DESTROY,
            }),
        };
        if (restate.AdminVpc is { } vpc)
        {
            // The self-hosted admin API is private: run next to it. The isolated subnets reach S3 (the response URL)
            // through the VPC's gateway endpoint, and the admin load balancer accepts the VPC's addresses.
            props.Vpc = vpc;
            props.VpcSubnets = new SubnetSelection { SubnetType = SubnetType.PRIVATE_ISOLATED };
            props.SecurityGroups =
            [
                new SecurityGroup(this, "SecurityGroup", new SecurityGroupProps
                {
                    Vpc = vpc,
                    Description = "Holiday registrar: out to the Restate admin API and S3",
                    AllowAllOutbound = true,
                }),
            ];
        }
        Function = new Function(this, "Default", props);

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
        }
    }

    public Function Function { get; }

    /// <summary>
    /// Registers <paramref name="version"/>. The resource lives under the version and depends on it: a new version
    /// (new code or configuration) changes <c>DeploymentArn</c>, which CloudFormation sends as an Update, which
    /// registers the new version; the old one stays registered and retained until its invocations drain.
    /// </summary>
    public CustomResource Register(LambdaVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);

        var properties = new Dictionary<string, object>
        {
            ["AdminUrl"] = _restate.AdminUrl,
            ["DeploymentArn"] = version.FunctionArn,
            ["AssumeRoleArn"] = _restate.InvokerRole.RoleArn,
            // A CloudFormation setting, not for the handler: bounds the wait if the handler dies without answering.
            ["ServiceTimeout"] = ServiceTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (_restate.Cloud is { } cloud)
        {
            properties["AuthTokenParameter"] = cloud.AuthTokenParameter;
        }

        var resource = new CustomResource(version, "RestateRegistration", new CustomResourceProps
        {
            ServiceToken = Function.FunctionArn,
            ResourceType = ResourceType,
            Properties = properties,
        });
        resource.Node.AddDependency(version);
        return resource;
    }
}

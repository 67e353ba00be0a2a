using System.Diagnostics.CodeAnalysis;
using Amazon.CDK;
using Constructs;

namespace Holiday.Cdk;

/// <summary>What <see cref="RestateStack"/> deploys: exactly one of <see cref="SelfHosted"/> and <see cref="Cloud"/>.</summary>
public sealed class RestateStackProps : StackProps
{
    /// <summary>restate-server on ECS Fargate in this account.</summary>
    public RestateServerOnEcsProps? SelfHosted { get; init; }

    /// <summary>An existing Restate Cloud environment.</summary>
    public RestateCloudSettings? Cloud { get; init; }
}

/// <summary>
/// Where restate-server runs: on ECS Fargate in this account (<c>deploymentMode=self-hosted</c>), or an existing
/// Restate Cloud environment (<c>deploymentMode=cloud</c>). Either way it owns the role restate assumes to invoke the
/// Holiday functions.
/// </summary>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "A CDK stack; the suffix is the CDK convention and names the CloudFormation stack.")]
public sealed class RestateStack : Stack
{
    public RestateStack(Construct scope, string id, RestateStackProps props) : base(scope, id, props)
    {
        ArgumentNullException.ThrowIfNull(props);
        if ((props.SelfHosted is null) == (props.Cloud is null))
        {
            throw new ArgumentException("A RestateStack is either self-hosted or a Restate Cloud environment: set exactly one of SelfHosted and Cloud.", nameof(props));
        }

        string adminDescription;
        if (props.Cloud is { } cloud)
        {
            RestateEnvironment = new RestateCloudEnvironment(this, "RestateCloud", cloud).Environment;
            adminDescription = "Restate Cloud admin API (bearer token: the API key in the authTokenSecretArn secret)";
        }
        else
        {
            var selfHosted = props.SelfHosted!;
            RestateEnvironment = new RestateServerOnEcs(this, "Restate", selfHosted).Environment;
            adminDescription = "Restate admin API, reachable from the registrar's security group only (internal load balancer)";
            _ = new CfnOutput(this, "RestateLogGroupName", new CfnOutputProps
            {
                Value = selfHosted.LogGroupName,
                Description = "Logs of restate-server and its ADOT collector: aws logs tail <name> --follow",
            });
        }

        _ = new CfnOutput(this, "RestateIngressEndpoint", new CfnOutputProps
        {
            Value = RestateEnvironment.IngressUrl,
            Description = "Restate ingress: call the services here, e.g. curl $URL/trips/reserve --json '{}'",
        });
        _ = new CfnOutput(this, "RestateAdminEndpoint", new CfnOutputProps { Value = RestateEnvironment.AdminUrl, Description = adminDescription });
        _ = new CfnOutput(this, "InvokerRoleArn", new CfnOutputProps
        {
            Value = RestateEnvironment.InvokerRole.RoleArn,
            Description = "The role Restate assumes to invoke the Holiday functions",
        });
    }

    public RestateEnvironment RestateEnvironment { get; }
}

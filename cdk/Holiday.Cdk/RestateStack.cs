using System.Diagnostics.CodeAnalysis;
using Amazon.CDK;
using Constructs;

namespace Holiday.Cdk;

/// <summary>
/// Where restate-server runs: on ECS Fargate in this account (<c>deploymentMode=self-hosted</c>), or an existing
/// Restate Cloud environment (<c>deploymentMode=cloud</c>). Either way it owns the role restate assumes to invoke the
/// Holiday functions.
/// </summary>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "A CDK stack; the suffix is the CDK convention and names the CloudFormation stack.")]
public sealed class RestateStack : Stack
{
    public RestateStack(Construct scope, string id, DeploymentContext context, IStackProps? props = null) : base(scope, id, props)
    {
        ArgumentNullException.ThrowIfNull(context);

        string adminDescription;
        if (context.Mode == DeploymentMode.Cloud)
        {
            RestateEnvironment = new RestateCloudEnvironment(this, "RestateCloud", context.Cloud!).Environment;
            adminDescription = "Restate Cloud admin API (bearer token: the API key in the authTokenSecretArn secret)";
        }
        else
        {
            var selfHosted = new SelfHostedRestate(this, "Restate", context);
            RestateEnvironment = selfHosted.Environment;
            adminDescription = "Restate admin API, reachable from inside the Restate VPC only (internal load balancer)";
            _ = new CfnOutput(this, "RestateLogGroupName", new CfnOutputProps
            {
                Value = context.RestateLogGroupName,
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

using Amazon.CDK.AWS.IAM;
using Constructs;

namespace Holiday.Cdk;

/// <summary>
/// An existing Restate Cloud environment: nothing runs in this account except the role Restate Cloud assumes to
/// invoke the functions.
/// </summary>
public sealed class RestateCloudEnvironment : Construct
{
    /// <summary>Restate Cloud's AWS account; its <c>RestateCloud</c> role assumes customers' invoker roles.</summary>
    public const string RestateCloudAccount = "654654156625";

    public const string RestateCloudPrincipalArn = $"arn:aws:iam::{RestateCloudAccount}:role/RestateCloud";

    public RestateCloudEnvironment(Construct scope, string id, RestateCloudSettings settings) : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(settings);

        // The external id is the environment id: only that environment, not every Restate Cloud tenant, may assume it.
        var invokerRole = new Role(this, "InvokerRole", new RoleProps
        {
            Description = $"Assumed by Restate Cloud environment {settings.EnvironmentId} to invoke the Holiday functions",
            AssumedBy = new AccountPrincipal(RestateCloudAccount).WithConditions(new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object>
                {
                    ["sts:ExternalId"] = settings.EnvironmentId,
                    ["aws:PrincipalArn"] = RestateCloudPrincipalArn,
                },
            }),
        });
        // Restate Cloud tags its sessions (environment id) when it assumes the role.
        invokerRole.AssumeRolePolicy!.AddStatements(new PolicyStatement(new PolicyStatementProps
        {
            Principals = [new AccountPrincipal(RestateCloudAccount)],
            Actions = ["sts:TagSession"],
        }));

        Environment = new RestateEnvironment(settings.AdminUrl, settings.IngressUrl, invokerRole, AdminNetwork: null, settings);
    }

    public RestateEnvironment Environment { get; }
}

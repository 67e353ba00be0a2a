using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;

namespace Holiday.Cdk;

/// <summary>What the Holiday services need from wherever restate-server runs.</summary>
/// <param name="AdminUrl">Restate's admin API, where deployments are registered.</param>
/// <param name="IngressUrl">Restate's ingress, where clients call the services.</param>
/// <param name="InvokerRole">The role restate-server assumes to invoke the functions (registration's <c>assume_role_arn</c>).</param>
/// <param name="AdminVpc">
/// The VPC the admin API is reachable from, when it is private (self-hosted); the registrar runs inside it.
/// </param>
/// <param name="Cloud">The Restate Cloud environment and its API key (cloud mode only).</param>
public sealed record RestateEnvironment(string AdminUrl, string IngressUrl, IRole InvokerRole, IVpc? AdminVpc, RestateCloudSettings? Cloud);

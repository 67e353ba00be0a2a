using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;

namespace Holiday.Cdk;

/// <summary>What the Holiday services need from wherever restate-server runs.</summary>
/// <param name="AdminUrl">Restate's admin API, where deployments are registered.</param>
/// <param name="IngressUrl">Restate's ingress, where clients call the services.</param>
/// <param name="InvokerRole">The role restate-server assumes to invoke the functions (registration's <c>assume_role_arn</c>).</param>
/// <param name="AdminNetwork">Where the admin API is reachable from, when it is private (self-hosted); the registrar runs there.</param>
/// <param name="Cloud">The Restate Cloud environment and its API key (cloud mode only).</param>
public sealed record RestateEnvironment(string AdminUrl, string IngressUrl, IRole InvokerRole, RestateAdminNetwork? AdminNetwork, RestateCloudSettings? Cloud);

/// <summary>A private admin API: its VPC, and the one security group its load balancer admits on the admin port.</summary>
/// <param name="Vpc">The VPC of restate-server; the admin load balancer is in its isolated subnets.</param>
/// <param name="ClientSecurityGroup">Give it to the registrar: it may reach the admin port, and nothing else may.</param>
public sealed record RestateAdminNetwork(IVpc Vpc, ISecurityGroup ClientSecurityGroup);

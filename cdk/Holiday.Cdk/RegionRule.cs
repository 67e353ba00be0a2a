using Amazon.CDK;
using Constructs;

namespace Holiday.Cdk;

/// <summary>
/// A template rule that the stack deploys to a given region, for what only works within one region (a layer, a secret
/// read through Parameter Store). Where synth knows the region it checks this itself (<see cref="DeploymentContext.Read"/>);
/// an environment-agnostic template leaves it to CloudFormation, which then refuses the stack before creating anything.
/// </summary>
public static class RegionRule
{
    /// <summary>Adds rule <paramref name="id"/> to the stack of <paramref name="scope"/> when its region is unknown at synth.</summary>
    /// <returns>The rule, or null when the stack's region is known.</returns>
    public static CfnRule? Require(Construct scope, string id, string region, string description)
    {
        var stack = Stack.Of(scope);
        if (!Token.IsUnresolved(stack.Region))
        {
            return null;
        }
        return new CfnRule(stack, id, new CfnRuleProps
        {
            Assertions =
            [
                new CfnRuleAssertion { Assert = Fn.ConditionEquals(Aws.REGION, region), AssertDescription = description },
            ],
        });
    }
}

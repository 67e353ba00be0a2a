using Amazon.CDK.Assertions;

namespace Holiday.Cdk.Tests;

[Collection(CdkSynthGroup.Name)]
public sealed class RestateCloudStackTests(CdkFixture fixture)
{
    private SynthesizedApp App => fixture.Synth(CdkFixture.Cloud);

    private static Dictionary<string, object> Props(params (string Key, object Value)[] values) => values.ToDictionary(v => v.Key, v => v.Value);

    [Fact]
    public void RestateStack_RunsNothing_OnlyTheInvokerRole()
    {
        foreach (var type in new[] { "AWS::ECS::Service", "AWS::ECS::TaskDefinition", "AWS::EC2::VPC", "AWS::EFS::FileSystem", "AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::Logs::LogGroup" })
        {
            App.Restate.ResourceCountIs(type, 0);
        }
        App.Restate.ResourceCountIs("AWS::IAM::Role", 1);
    }

    [Fact]
    public void InvokerRole_IsTrustedByRestateCloudForThisEnvironmentOnly()
    {
        var assume = Match.ObjectLike(Props(
            ("Action", "sts:AssumeRole"),
            ("Effect", "Allow"),
            ("Condition", Props(("StringEquals", Props(
                ("sts:ExternalId", CdkFixture.CloudEnvironmentId),
                ("aws:PrincipalArn", "arn:aws:iam::654654156625:role/RestateCloud")))))));
        var tagSession = Match.ObjectLike(Props(("Action", "sts:TagSession"), ("Effect", "Allow")));
        var trustPolicy = Match.ObjectLike(Props(("Statement", Match.ArrayWith(new object[] { assume, tagSession }))));

        App.Restate.HasResourceProperties("AWS::IAM::Role", Match.ObjectLike(Props(("AssumeRolePolicyDocument", trustPolicy))));

        var trust = Assert.Single(App.RestateJson.Resources("AWS::IAM::Role")).Value.Properties()["AssumeRolePolicyDocument"]!["Statement"]!.AsArray();
        Assert.All(trust, statement => Assert.Contains(":iam::654654156625:root", statement!["Principal"]!["AWS"]!.ToJsonString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Outputs_AreTheEnvironmentsUrlsAndTheInvokerRole()
    {
        // Restate Cloud's ingress is plain HTTPS (443), its admin API on 9070.
        App.Restate.HasOutput("RestateIngressEndpoint", Match.ObjectLike(Props(("Value", "https://201kb7y8wxs1nk6t81wyx88dn2q.env.eu.restate.cloud"))));
        App.Restate.HasOutput("RestateAdminEndpoint", Match.ObjectLike(Props(("Value", "https://201kb7y8wxs1nk6t81wyx88dn2q.env.eu.restate.cloud:9070"))));
        var roleId = Assert.Single(App.RestateJson.Resources("AWS::IAM::Role")).Key;
        App.Restate.HasOutput("InvokerRoleArn", Match.ObjectLike(Props(("Value", Props(("Fn::GetAtt", new object[] { roleId, "Arn" }))))));
        // No restate-server log group in this account.
        Assert.Null(App.RestateJson["Outputs"]!["RestateLogGroupName"]);
        Assert.Null(App.HolidayJson["Outputs"]!["RestateLogGroupName"]);
    }
}

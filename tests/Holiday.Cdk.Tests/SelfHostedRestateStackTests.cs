using System.Text.Json.Nodes;
using Amazon.CDK.Assertions;

namespace Holiday.Cdk.Tests;

[Collection(CdkSynthGroup.Name)]
public sealed class SelfHostedRestateStackTests(CdkFixture fixture)
{
    private static readonly IReadOnlyDictionary<string, object> WithCertificateAndPrefix = new Dictionary<string, object>
    {
        ["certificateArn"] = CdkFixture.CertificateArn,
        ["prefix"] = "demo",
    };

    private SynthesizedApp App => fixture.Synth(CdkFixture.SelfHosted);

    private static Dictionary<string, object> Props(params (string Key, object Value)[] values) => values.ToDictionary(v => v.Key, v => v.Value);

    private static Dictionary<string, object> Variable(string name, object value) => Props(("Name", name), ("Value", value));

    [Fact]
    public void Service_RunsOneFargateTaskThatNeverOverlapsItsReplacement()
    {
        App.Restate.ResourceCountIs("AWS::ECS::Service", 1);
        App.Restate.HasResourceProperties("AWS::ECS::Service", Match.ObjectLike(Props(
            ("LaunchType", "FARGATE"),
            ("DesiredCount", 1),
            ("DeploymentConfiguration", Match.ObjectLike(Props(("MinimumHealthyPercent", 0), ("MaximumPercent", 100)))))));
    }

    [Fact]
    public void TaskDefinition_RunsRestateThatExportsTracesToAnAdotSidecar()
    {
        App.Restate.ResourceCountIs("AWS::ECS::TaskDefinition", 1);
        App.Restate.HasResourceProperties("AWS::ECS::TaskDefinition", Match.ObjectLike(Props(
            ("RequiresCompatibilities", new object[] { "FARGATE" }),
            // Match.ArrayWith keeps order: the sidecar comes first in the task definition.
            ("ContainerDefinitions", Match.ArrayWith(new object[]
            {
                Match.ObjectLike(Props(
                    ("Name", "adot-collector"),
                    ("Image", Match.StringLikeRegexp("^public\\.ecr\\.aws/aws-observability/aws-otel-collector:v[0-9.]+$")),
                    ("Command", new object[] { "--config=/etc/ecs/ecs-xray.yaml" }),
                    ("Essential", false))),
                Match.ObjectLike(Props(
                    ("Name", "restate"),
                    ("Image", "docker.restate.dev/restatedev/restate:1.7.12"),
                    ("Essential", true),
                    ("PortMappings", Match.ArrayWith(new object[]
                    {
                        Match.ObjectLike(Props(("ContainerPort", 8080))),
                        Match.ObjectLike(Props(("ContainerPort", 9070))),
                    })),
                    ("Environment", Match.ArrayWith(new object[]
                    {
                        Variable("RESTATE_TRACING_ENDPOINT", "http://localhost:4317"),
                    })),
                    ("DependsOn", new object[] { Props(("ContainerName", "adot-collector"), ("Condition", "START")) }))),
            })))));
    }

    [Fact]
    public void TaskDefinition_RestateImageComesFromContext()
    {
        var app = fixture.Synth(Props(("restateImage", "restatedev/restate:1.7.12")));

        app.Restate.HasResourceProperties("AWS::ECS::TaskDefinition", Match.ObjectLike(Props(
            ("ContainerDefinitions", Match.ArrayWith(new object[] { Match.ObjectLike(Props(("Name", "restate"), ("Image", "restatedev/restate:1.7.12"))) })))));
    }

    [Fact]
    public void Logs_GoThroughAwslogsToRestateRestate()
    {
        AssertLogGroup(App, "/restate/restate");
    }

    [Fact]
    public void Logs_WithPrefix_GoToRestatePrefixRestate()
    {
        var app = fixture.Synth(WithCertificateAndPrefix);

        AssertLogGroup(app, "/restate/demo/restate");
        Assert.Equal("demo-RestateStack", app.RestateStack.StackName);
        Assert.Equal("demo-HolidayStack", app.HolidayStack.StackName);
    }

    private static void AssertLogGroup(SynthesizedApp app, string name)
    {
        var logGroups = app.Restate.FindResources("AWS::Logs::LogGroup", Match.ObjectLike(Props(("Properties", Match.ObjectLike(Props(("LogGroupName", name)))))));
        var logGroupId = Assert.Single(logGroups).Key;
        var awslogs = Props(("LogDriver", "awslogs"), ("Options", Match.ObjectLike(Props(("awslogs-group", Props(("Ref", logGroupId)))))));
        app.Restate.HasResourceProperties("AWS::ECS::TaskDefinition", Match.ObjectLike(Props(
            ("ContainerDefinitions", Match.ArrayWith(new object[]
            {
                // Match.ArrayWith keeps order: the sidecar comes first in the task definition.
                Match.ObjectLike(Props(("Name", "adot-collector"), ("LogConfiguration", Match.ObjectLike(awslogs)))),
                Match.ObjectLike(Props(("Name", "restate"), ("LogConfiguration", Match.ObjectLike(awslogs)))),
            })))));
    }

    [Fact]
    public void Journal_IsAnEfsVolumeMountedAtRestatesBaseDir()
    {
        var task = Assert.Single(App.RestateJson.Resources("AWS::ECS::TaskDefinition")).Value.Properties();
        var volume = Assert.Single(task["Volumes"]!.AsArray())!.AsObject();
        var efs = volume["EFSVolumeConfiguration"]!.AsObject();
        var fileSystemId = Assert.Single(App.RestateJson.Resources("AWS::EFS::FileSystem")).Key;
        Assert.Equal(fileSystemId, (string?)efs["FilesystemId"]!["Ref"]);
        Assert.Equal("ENABLED", (string?)efs["TransitEncryption"]);

        var restate = task["ContainerDefinitions"]!.AsArray().Single(c => (string?)c!["Name"] == "restate")!;
        var mount = Assert.Single(restate["MountPoints"]!.AsArray())!;
        Assert.Equal((string?)volume["Name"], (string?)mount["SourceVolume"]);
        Assert.Equal("/restate-data", (string?)mount["ContainerPath"]);
        var baseDir = restate["Environment"]!.AsArray().Single(v => (string?)v!["Name"] == "RESTATE_BASE_DIR")!;
        Assert.Equal("/restate-data", (string?)baseDir["Value"]);

        // Mount targets in both AZs, and restate-server is the only client the file system's security group admits.
        Assert.Equal(2, App.RestateJson.Resources("AWS::EFS::MountTarget").Count);
        App.Restate.HasResourceProperties("AWS::EC2::SecurityGroupIngress", Match.ObjectLike(Props(("FromPort", 2049), ("ToPort", 2049))));
    }

    [Fact]
    public void IngressListener_WithoutCertificate_IsHttpOnPort80()
    {
        App.Restate.HasResourceProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", Match.ObjectLike(Props(("Scheme", "internet-facing"))));
        App.Restate.HasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Match.ObjectLike(Props(
            ("Port", 80), ("Protocol", "HTTP"), ("Certificates", Match.Absent()))));
        App.Restate.ResourceCountIs("AWS::ElasticLoadBalancingV2::Listener", 2);
        App.Restate.HasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", Match.ObjectLike(Props(
            ("Port", 8080), ("Protocol", "HTTP"), ("HealthCheckPath", "/restate/health"))));
        App.Restate.HasOutput("RestateIngressEndpoint", Match.ObjectLike(Props(("Value", Match.ObjectLike(Props(
            ("Fn::Join", new object[] { "", Match.ArrayWith(new object[] { "http://" }) })))))));
    }

    [Fact]
    public void IngressListener_WithCertificate_IsHttpsOnPort443AndPort80Redirects()
    {
        var app = fixture.Synth(WithCertificateAndPrefix);

        app.Restate.HasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Match.ObjectLike(Props(
            ("Port", 443),
            ("Protocol", "HTTPS"),
            ("Certificates", new object[] { Props(("CertificateArn", CdkFixture.CertificateArn)) }))));
        app.Restate.HasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Match.ObjectLike(Props(
            ("Port", 80),
            ("DefaultActions", new object[] { Match.ObjectLike(Props(("Type", "redirect"))) }))));
        app.Restate.HasOutput("RestateIngressEndpoint", Match.ObjectLike(Props(("Value", Match.ObjectLike(Props(
            ("Fn::Join", new object[] { "", Match.ArrayWith(new object[] { "https://" }) })))))));
    }

    [Fact]
    public void AdminPort_IsReachableFromInsideTheVpcOnly()
    {
        var rules = IngressRules(App.RestateJson).ToList();

        // Nothing admits the world to 9070, directly or through an all-ports rule.
        Assert.DoesNotContain(rules, r => Covers(r, 9070) && IsWorld(r));
        // The internal admin load balancer admits the VPC's own range on 9070.
        var vpcId = Assert.Single(App.RestateJson.Resources("AWS::EC2::VPC")).Key;
        Assert.Contains(rules, r => Covers(r, 9070) && r["CidrIp"]?.ReferencedIds().Contains(vpcId) == true);
        // restate-server's security group admits 9070 only from that load balancer's security group.
        Assert.All(rules.Where(r => Covers(r, 9070) && r["CidrIp"] is null), r => Assert.NotNull(r["SourceSecurityGroupId"]));

        App.Restate.HasResourceProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", Match.ObjectLike(Props(("Scheme", "internal"))));
        App.Restate.HasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Match.ObjectLike(Props(("Port", 9070), ("Protocol", "HTTP"))));
        App.Restate.HasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", Match.ObjectLike(Props(
            ("Port", 9070), ("HealthCheckPath", "/health"))));
    }

    [Fact]
    public void OnlyTheIngressListenerIsOpenToTheWorld()
    {
        var world = IngressRules(fixture.Synth(WithCertificateAndPrefix).RestateJson).Where(IsWorld).ToList();

        Assert.Equal([80, 443], world.Select(r => (int)r["FromPort"]!).Order());
        Assert.All(world, r => Assert.Equal((int)r["FromPort"]!, (int)r["ToPort"]!));
    }

    [Fact]
    public void TaskRole_MayWriteToXRay()
    {
        var taskRoleId = (string)App.RestateJson.Resources("AWS::ECS::TaskDefinition").Single().Value.Properties()["TaskRoleArn"]!["Fn::GetAtt"]![0]!;

        var managedPolicies = App.RestateJson.Resource(taskRoleId).Properties()["ManagedPolicyArns"]!.ToJsonString();
        Assert.Contains(":iam::aws:policy/AWSXrayWriteOnlyAccess", managedPolicies, StringComparison.Ordinal);
    }

    [Fact]
    public void InvokerRole_IsAssumedByTheTaskRoleOnly()
    {
        var taskRoleId = (string)App.RestateJson.Resources("AWS::ECS::TaskDefinition").Single().Value.Properties()["TaskRoleArn"]!["Fn::GetAtt"]![0]!;
        var invokerRoleId = (string)App.RestateJson["Outputs"]!["InvokerRoleArn"]!["Value"]!["Fn::GetAtt"]![0]!;

        var trust = Assert.Single(App.RestateJson.Resource(invokerRoleId).Properties()["AssumeRolePolicyDocument"]!["Statement"]!.AsArray())!;
        Assert.Equal("sts:AssumeRole", (string?)trust["Action"]);
        Assert.Equal([taskRoleId], trust["Principal"]!["AWS"].ReferencedIds());

        // ...and the task role may assume it (restate-server's worker.invoker assume-role).
        Assert.Contains(App.RestateJson.StatementsOfRole(taskRoleId), s =>
            s.Actions().Contains("sts:AssumeRole") && s.ResourceList().Any(r => r.ReferencedIds().Contains(invokerRoleId)));
        // The task role itself cannot invoke Lambda: only through the invoker role.
        Assert.DoesNotContain(App.RestateJson.StatementsOfRole(taskRoleId), s => s.Actions().Any(a => a.StartsWith("lambda:", StringComparison.Ordinal)));
    }

    [Fact]
    public void Vpc_HasNoNatGatewayAndNoEndpoints()
    {
        // Nothing in the isolated subnets calls an AWS service: the registrar answers the provider framework, which
        // runs outside the VPC, so no S3 gateway endpoint is needed.
        App.Restate.ResourceCountIs("AWS::EC2::NatGateway", 0);
        App.Restate.ResourceCountIs("AWS::EC2::VPCEndpoint", 0);
    }

    [Theory]
    [InlineData(null, "/restate/restate")]
    [InlineData("demo", "/restate/demo/restate")]
    public void Outputs_IncludeTheLogGroupToTail(string? prefix, string expected)
    {
        var app = prefix is null ? App : fixture.Synth(new Dictionary<string, object> { ["prefix"] = prefix });

        app.Restate.HasOutput("RestateLogGroupName", Match.ObjectLike(Props(("Value", expected))));
        app.Restate.HasResourceProperties("AWS::Logs::LogGroup", Match.ObjectLike(Props(("LogGroupName", expected))));
    }

    [Fact]
    public void Outputs_AreIngressInternalAdminAndInvokerRole()
    {
        App.Restate.HasOutput("RestateIngressEndpoint", Match.AnyValue());
        App.Restate.HasOutput("InvokerRoleArn", Match.AnyValue());
        var adminLoadBalancerId = App.RestateJson.Resources("AWS::ElasticLoadBalancingV2::LoadBalancer")
            .Single(lb => (string?)lb.Value.Properties()["Scheme"] == "internal").Key;
        var admin = App.RestateJson["Outputs"]!["RestateAdminEndpoint"]!["Value"]!;
        Assert.Equal([adminLoadBalancerId], admin.ReferencedIds());
        Assert.EndsWith(":9070\"]]}", admin.ToJsonString(), StringComparison.Ordinal);
    }

    private static IEnumerable<JsonObject> IngressRules(JsonObject template) =>
        template.Resources("AWS::EC2::SecurityGroup").Values
            .SelectMany(sg => sg.Properties()["SecurityGroupIngress"]?.AsArray().Select(r => r!.AsObject()) ?? [])
            .Concat(template.Resources("AWS::EC2::SecurityGroupIngress").Values.Select(r => r.Properties()));

    private static bool Covers(JsonObject rule, int port) =>
        (string?)rule["IpProtocol"] == "-1" || ((int?)rule["FromPort"] <= port && port <= (int?)rule["ToPort"]);

    private static bool IsWorld(JsonObject rule) =>
        rule["CidrIp"] is JsonValue v4 && v4.GetValue<string>() == "0.0.0.0/0" || rule["CidrIpv6"] is JsonValue v6 && v6.GetValue<string>() == "::/0";
}

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
        var volume = Assert.Single(task["Volumes"]!.AsArray(), v => v!["EFSVolumeConfiguration"] is not null)!.AsObject();
        var efs = volume["EFSVolumeConfiguration"]!.AsObject();
        var fileSystemId = Assert.Single(App.RestateJson.Resources("AWS::EFS::FileSystem")).Key;
        Assert.Equal(fileSystemId, (string?)efs["FilesystemId"]!["Ref"]);
        Assert.Equal("ENABLED", (string?)efs["TransitEncryption"]);

        var restate = task["ContainerDefinitions"]!.AsArray().Single(c => (string?)c!["Name"] == "restate")!;
        var mount = Assert.Single(restate["MountPoints"]!.AsArray(), m => (string?)m!["SourceVolume"] == (string?)volume["Name"])!;
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
    public void AdminPort_IsReachableFromTheRegistrarsSecurityGroupOnly()
    {
        var rules = IngressRules(App.RestateJson).ToList();
        var groups = App.RestateJson.Resources("AWS::EC2::SecurityGroup");
        var adminLoadBalancer = App.RestateJson.Resources("AWS::ElasticLoadBalancingV2::LoadBalancer")
            .Single(lb => (string?)lb.Value.Properties()["Scheme"] == "internal").Value.Properties();
        var adminGroupId = Assert.Single(adminLoadBalancer["SecurityGroups"]!.AsArray().SelectMany(g => g.ReferencedIds()));
        var clientGroupId = groups.Single(g => ((string?)g.Value.Properties()["GroupDescription"])!.StartsWith("Holiday registrar", StringComparison.Ordinal)).Key;

        // No address range reaches 9070, not even the VPC's own.
        Assert.DoesNotContain(rules, r => Covers(r, 9070) && (r["CidrIp"] is not null || r["CidrIpv6"] is not null));
        // The admin load balancer admits exactly one group, the registrar's.
        var toAdmin = rules.Where(r => r["GroupId"]?.ReferencedIds().Contains(adminGroupId) == true).ToList();
        var rule = Assert.Single(toAdmin);
        Assert.Equal([clientGroupId], rule["SourceSecurityGroupId"].ReferencedIds());
        Assert.Equal(9070, (int)rule["FromPort"]!);
        Assert.Equal(9070, (int)rule["ToPort"]!);
        // The registrar's group may only go there.
        var clientEgress = App.RestateJson.Resources("AWS::EC2::SecurityGroupEgress").Values.Select(e => e.Properties())
            .Where(e => e["GroupId"]!.ReferencedIds().Contains(clientGroupId)).ToList();
        var egress = Assert.Single(clientEgress);
        Assert.Equal([adminGroupId], egress["DestinationSecurityGroupId"].ReferencedIds());
        Assert.DoesNotContain(groups[clientGroupId].Properties()["SecurityGroupEgress"]?.AsArray() ?? [], e => (string?)e!["CidrIp"] == "0.0.0.0/0");
        // And the registrar runs in it (imported from RestateStack).
        var registrar = App.HolidayJson.Resources("AWS::Lambda::Function").Values.Single(f => f.Properties()["VpcConfig"] is not null).Properties();
        var imported = Assert.Single(registrar["VpcConfig"]!["SecurityGroupIds"]!.AsArray());
        Assert.Contains("AdminClientSecurityGroup", (string)imported!["Fn::ImportValue"]!, StringComparison.Ordinal);

        App.Restate.HasResourceProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", Match.ObjectLike(Props(("Scheme", "internal"))));
        App.Restate.HasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Match.ObjectLike(Props(("Port", 9070), ("Protocol", "HTTP"))));
        App.Restate.HasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", Match.ObjectLike(Props(
            ("Port", 9070), ("HealthCheckPath", "/health"))));
    }

    [Fact]
    public void Service_StartsOnlyOnceTheJournalsMountTargetsExist()
    {
        var service = Assert.Single(App.RestateJson.Resources("AWS::ECS::Service")).Value;
        var mountTargets = App.RestateJson.Resources("AWS::EFS::MountTarget").Keys.ToList();

        Assert.Equal(2, mountTargets.Count);
        Assert.All(mountTargets, id => Assert.Contains(id, service.DependsOn()));
    }

    [Fact]
    public void LoadBalancers_DropInvalidHeaderFields_AndTheIngressWaitsFifteenMinutesForASlowAnswer()
    {
        var loadBalancers = App.RestateJson.Resources("AWS::ElasticLoadBalancingV2::LoadBalancer").Values.Select(lb => lb.Properties()).ToList();

        Assert.Equal(2, loadBalancers.Count);
        Assert.All(loadBalancers, lb => Assert.Equal("true", Attribute(lb, "routing.http.drop_invalid_header_fields.enabled")));
        var ingress = loadBalancers.Single(lb => (string?)lb["Scheme"] == "internet-facing");
        Assert.Equal("900", Attribute(ingress, "idle_timeout.timeout_seconds"));
    }

    private static string? Attribute(JsonObject loadBalancer, string key) =>
        (string?)loadBalancer["LoadBalancerAttributes"]?.AsArray().SingleOrDefault(a => (string?)a!["Key"] == key)?["Value"];

    [Fact]
    public void Ingress_AllowedCidr_IsTheOnlySourceOfBothListenerPorts_AndNothingWarns()
    {
        var app = fixture.Synth(new Dictionary<string, object> { ["ingressAllowedCidr"] = "203.0.113.0/24", ["certificateArn"] = CdkFixture.CertificateArn });

        var cidrRules = IngressRules(app.RestateJson).Where(r => r["CidrIp"] is not null).ToList();
        Assert.Equal([80, 443], cidrRules.Select(r => (int)r["FromPort"]!).Order());
        Assert.All(cidrRules, r => Assert.Equal("203.0.113.0/24", (string?)r["CidrIp"]));
        Assert.Empty(Annotations.FromStack(app.RestateStack).FindWarning("*", Match.StringLikeRegexp("admits every IPv4 address")));
    }

    [Fact]
    public void Ingress_OpenToTheWorld_WarnsAtSynthNamingTheKey()
    {
        var warnings = Annotations.FromStack(App.RestateStack).FindWarning("*", Match.StringLikeRegexp("admits every IPv4 address"));

        var warning = Assert.Single(warnings);
        Assert.Contains("-c ingressAllowedCidr=", warning.Entry.Data?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Journal_IsBackedUp_AndDisposableUnlessRetainDataKeepsIt()
    {
        var retained = fixture.Synth(new Dictionary<string, object> { ["retainData"] = "true" }).RestateJson;

        foreach (var (template, policy) in new[] { (App.RestateJson, "Delete"), (retained, "Retain") })
        {
            var journal = Assert.Single(template.Resources("AWS::EFS::FileSystem")).Value;
            Assert.Equal(policy, (string?)journal["DeletionPolicy"]);
            Assert.Equal(policy, (string?)journal["UpdateReplacePolicy"]);
            Assert.Equal("ENABLED", (string?)journal.Properties()["BackupPolicy"]!["Status"]);
        }
    }

    [Fact]
    public void Containers_RunAsNonRootUsersOnReadOnlyRootFileSystems_WithinHardMemoryLimitsThatFitTheTask()
    {
        var task = Assert.Single(App.RestateJson.Resources("AWS::ECS::TaskDefinition")).Value.Properties();
        var containers = task["ContainerDefinitions"]!.AsArray().Select(c => c!.AsObject()).ToList();
        var scratch = Assert.Single(task["Volumes"]!.AsArray(), v => v!["EFSVolumeConfiguration"] is null)!;

        Assert.Equal(2, containers.Count);
        Assert.All(containers, c =>
        {
            var user = (string?)c["User"];
            Assert.NotNull(user);
            Assert.NotEqual("0", user.Split(':')[0]);
            Assert.NotEqual("root", user.Split(':')[0]);
            Assert.True((bool)c["ReadonlyRootFilesystem"]!);
            // /tmp stays writable, on the task's ephemeral storage.
            Assert.Contains(c["MountPoints"]!.AsArray(), m => (string?)m!["ContainerPath"] == "/tmp" && (string?)m["SourceVolume"] == (string?)scratch["Name"]);
        });
        // restate-server writes its journal as the access point's owner.
        Assert.Equal("1000:1000", (string?)containers.Single(c => (string?)c["Name"] == "restate")["User"]);
        Assert.Equal(int.Parse((string)task["Memory"]!, System.Globalization.CultureInfo.InvariantCulture), containers.Sum(c => (int)c["Memory"]!));
    }

    [Fact]
    public void Cluster_HasContainerInsights_AndTheVpcLogsRejectedTraffic()
    {
        App.Restate.HasResourceProperties("AWS::ECS::Cluster", Match.ObjectLike(Props(
            ("ClusterSettings", new object[] { Props(("Name", "containerInsights"), ("Value", "enabled")) }))));
        var vpcId = Assert.Single(App.RestateJson.Resources("AWS::EC2::VPC")).Key;
        var flowLog = Assert.Single(App.RestateJson.Resources("AWS::EC2::FlowLog")).Value.Properties();
        Assert.Equal("REJECT", (string?)flowLog["TrafficType"]);
        Assert.Equal([vpcId], flowLog["ResourceId"].ReferencedIds());
        var logGroupId = Assert.Single(flowLog["LogGroupName"].ReferencedIds());
        Assert.Equal(30, (int)App.RestateJson.Resource(logGroupId).Properties()["RetentionInDays"]!);
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

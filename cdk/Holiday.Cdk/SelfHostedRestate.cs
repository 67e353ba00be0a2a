using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.EFS;
using Amazon.CDK.AWS.ElasticLoadBalancingV2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Constructs;
using LoadBalancerHealthCheck = Amazon.CDK.AWS.ElasticLoadBalancingV2.HealthCheck;

namespace Holiday.Cdk;

/// <summary>
/// A single restate-server on ECS Fargate in its own VPC: the journal on EFS (it outlives the task), ingress behind an
/// internet-facing load balancer, the admin API behind an internal one that only the VPC can reach, logs in CloudWatch,
/// traces to X-Ray through an ADOT collector sidecar, and the role restate assumes to invoke the functions.
/// </summary>
public sealed class SelfHostedRestate : Construct
{
    public const int IngressPort = 8080;
    public const int AdminPort = 9070;

    /// <summary>Restate's base directory; the EFS volume is mounted here, so the journal survives task replacement.</summary>
    public const string BaseDir = "/restate-data";

    public const string RestateContainerName = "restate";
    public const string AdotContainerName = "adot-collector";

    public SelfHostedRestate(Construct scope, string id, DeploymentContext context) : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(context);

        // Public subnets for the load balancer and the task (which pulls images and calls Lambda and STS over its public
        // IP: no NAT gateway to pay for); isolated subnets for EFS, the admin load balancer and the registrar Lambda,
        // which calls only the admin load balancer. Nothing in them needs S3 or another AWS endpoint.
        Vpc = new Vpc(this, "Vpc", new VpcProps
        {
            MaxAzs = 2,
            NatGateways = 0,
            SubnetConfiguration =
            [
                new SubnetConfiguration { Name = "Public", SubnetType = SubnetType.PUBLIC, CidrMask = 24 },
                new SubnetConfiguration { Name = "Private", SubnetType = SubnetType.PRIVATE_ISOLATED, CidrMask = 24 },
            ],
        });

        var journal = new Amazon.CDK.AWS.EFS.FileSystem(this, "Journal", new FileSystemProps
        {
            Vpc = Vpc,
            VpcSubnets = new SubnetSelection { SubnetType = SubnetType.PRIVATE_ISOLATED },
            Encrypted = true,
            PerformanceMode = PerformanceMode.GENERAL_PURPOSE,
            // Pay per GB moved instead of burst credits that a tiny file system earns slowly.
            ThroughputMode = ThroughputMode.ELASTIC,
            RemovalPolicy = RemovalPolicy.DESTROY,
        });
        // Whatever user the image runs as, files on the volume belong to one fixed POSIX identity.
        var journalAccessPoint = journal.AddAccessPoint("JournalAccessPoint", new AccessPointOptions
        {
            Path = "/restate",
            CreateAcl = new Acl { OwnerUid = "1000", OwnerGid = "1000", Permissions = "750" },
            PosixUser = new PosixUser { Uid = "1000", Gid = "1000" },
        });

        LogGroup = new LogGroup(this, "Logs", new LogGroupProps
        {
            LogGroupName = context.RestateLogGroupName,
            Retention = context.LogRetention,
            RemovalPolicy = RemovalPolicy.DESTROY,
        });

        var task = new FargateTaskDefinition(this, "Task", new FargateTaskDefinitionProps
        {
            Cpu = 1024,
            MemoryLimitMiB = 2048,
            RuntimePlatform = new RuntimePlatform
            {
                CpuArchitecture = CpuArchitecture.ARM64,
                OperatingSystemFamily = OperatingSystemFamily.LINUX,
            },
            Volumes =
            [
                new Amazon.CDK.AWS.ECS.Volume
                {
                    Name = "journal",
                    EfsVolumeConfiguration = new EfsVolumeConfiguration
                    {
                        FileSystemId = journal.FileSystemId,
                        TransitEncryption = "ENABLED",
                        AuthorizationConfig = new AuthorizationConfig { AccessPointId = journalAccessPoint.AccessPointId, Iam = "ENABLED" },
                    },
                },
            ],
        });
        TaskRole = task.TaskRole;
        journal.Grant(task.TaskRole, "elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite");
        // The ADOT collector sends restate's spans to X-Ray with the task's credentials.
        task.TaskRole.AddManagedPolicy(ManagedPolicy.FromAwsManagedPolicyName("AWSXrayWriteOnlyAccess"));

        var adot = task.AddContainer("Adot", new ContainerDefinitionOptions
        {
            ContainerName = AdotContainerName,
            Image = ContainerImage.FromRegistry(context.AdotImage),
            // The image's ECS configuration: an OTLP receiver on 4317/4318 and the X-Ray exporter.
            Command = ["--config=/etc/ecs/ecs-xray.yaml"],
            // Traces are worth losing before requests are: a dead collector does not stop restate-server.
            Essential = false,
            MemoryReservationMiB = 128,
            Environment = new Dictionary<string, string> { ["AWS_REGION"] = Aws.REGION },
            Logging = LogDriver.AwsLogs(new AwsLogDriverProps { LogGroup = LogGroup, StreamPrefix = "adot" }),
        });

        var restate = task.AddContainer("Restate", new ContainerDefinitionOptions
        {
            ContainerName = RestateContainerName,
            Image = ContainerImage.FromRegistry(context.RestateImage),
            Essential = true,
            PortMappings =
            [
                new PortMapping { ContainerPort = IngressPort, Name = "ingress" },
                new PortMapping { ContainerPort = AdminPort, Name = "admin" },
            ],
            Environment = new Dictionary<string, string>
            {
                // A fixed node name and address: a replacement task must find its own node in the journal on EFS.
                ["RESTATE_NODE_NAME"] = "restate-0",
                ["RESTATE_CLUSTER_NAME"] = "holiday",
                ["RESTATE_ADVERTISED_ADDRESS"] = "http://127.0.0.1:5122/",
                ["RESTATE_BASE_DIR"] = BaseDir,
                // TCP only: no unix socket files on the network file system.
                ["RESTATE_LISTEN_MODE"] = "tcp",
                ["RESTATE_INGRESS__BIND_ADDRESS"] = $"0.0.0.0:{IngressPort}",
                ["RESTATE_ADMIN__BIND_ADDRESS"] = $"0.0.0.0:{AdminPort}",
                // Sized for the 2 GB task (the defaults assume a large host); partitions only matter at first start.
                ["RESTATE_ROCKSDB_TOTAL_MEMORY_SIZE"] = "512MiB",
                ["RESTATE_ADMIN__QUERY_ENGINE__MEMORY_SIZE"] = "256MiB",
                ["RESTATE_DEFAULT_NUM_PARTITIONS"] = "4",
                ["RESTATE_LOG_FORMAT"] = "json",
                // OTLP/gRPC to the ADOT sidecar; tasks share localhost (awsvpc).
                ["RESTATE_TRACING_ENDPOINT"] = "http://localhost:4317",
                ["AWS_REGION"] = Aws.REGION,
            },
            Logging = LogDriver.AwsLogs(new AwsLogDriverProps { LogGroup = LogGroup, StreamPrefix = "restate" }),
            StopTimeout = Duration.Seconds(60),
        });
        restate.AddMountPoints(new MountPoint { SourceVolume = "journal", ContainerPath = BaseDir, ReadOnly = false });
        restate.AddContainerDependencies(new ContainerDependency { Container = adot, Condition = ContainerDependencyCondition.START });

        var serviceSecurityGroup = new SecurityGroup(this, "ServiceSecurityGroup", new SecurityGroupProps
        {
            Vpc = Vpc,
            Description = "restate-server: ingress and admin from their load balancers only",
            AllowAllOutbound = true,
        });
        Service = new FargateService(this, "Service", new FargateServiceProps
        {
            Cluster = new Cluster(this, "Cluster", new ClusterProps { Vpc = Vpc }),
            TaskDefinition = task,
            // One writer of the journal at any time: the old task stops before its replacement starts.
            DesiredCount = 1,
            MinHealthyPercent = 0,
            MaxHealthyPercent = 100,
            CircuitBreaker = new DeploymentCircuitBreaker { Enable = true, Rollback = true },
            HealthCheckGracePeriod = Duration.Seconds(120),
            VpcSubnets = new SubnetSelection { SubnetType = SubnetType.PUBLIC },
            AssignPublicIp = true,
            SecurityGroups = [serviceSecurityGroup],
        });
        journal.Connections.AllowDefaultPortFrom(Service, "restate-server mounts the journal");

        var ingressLoadBalancer = new ApplicationLoadBalancer(this, "IngressLoadBalancer", new ApplicationLoadBalancerProps
        {
            Vpc = Vpc,
            InternetFacing = true,
            VpcSubnets = new SubnetSelection { SubnetType = SubnetType.PUBLIC },
        });
        var https = context.CertificateArn is not null;
        var ingressListener = ingressLoadBalancer.AddListener("Ingress", new BaseApplicationListenerProps
        {
            Port = https ? 443 : 80,
            Protocol = https ? ApplicationProtocol.HTTPS : ApplicationProtocol.HTTP,
            Certificates = https ? [ListenerCertificate.FromArn(context.CertificateArn!)] : null,
            SslPolicy = https ? SslPolicy.RECOMMENDED_TLS : null,
            Open = true,
        });
        if (https)
        {
            ingressLoadBalancer.AddRedirect(new ApplicationLoadBalancerRedirectConfig
            {
                SourcePort = 80,
                SourceProtocol = ApplicationProtocol.HTTP,
                TargetPort = 443,
                TargetProtocol = ApplicationProtocol.HTTPS,
            });
        }
        ingressListener.AddTargets("Restate", new AddApplicationTargetsProps
        {
            Port = IngressPort,
            Protocol = ApplicationProtocol.HTTP,
            Targets = [Service.LoadBalancerTarget(new LoadBalancerTargetOptions { ContainerName = RestateContainerName, ContainerPort = IngressPort })],
            HealthCheck = HealthCheckOn("/restate/health"),
            DeregistrationDelay = Duration.Seconds(10),
        });

        // The admin API registers deployments and cancels invocations: reachable from inside the VPC only.
        var adminSecurityGroup = new SecurityGroup(this, "AdminLoadBalancerSecurityGroup", new SecurityGroupProps
        {
            Vpc = Vpc,
            Description = "Restate admin API: from inside the VPC only",
            AllowAllOutbound = false,
        });
        adminSecurityGroup.AddIngressRule(Peer.Ipv4(Vpc.VpcCidrBlock), Port.Tcp(AdminPort), "Restate admin API from inside the VPC");
        var adminLoadBalancer = new ApplicationLoadBalancer(this, "AdminLoadBalancer", new ApplicationLoadBalancerProps
        {
            Vpc = Vpc,
            InternetFacing = false,
            VpcSubnets = new SubnetSelection { SubnetType = SubnetType.PRIVATE_ISOLATED },
            SecurityGroup = adminSecurityGroup,
        });
        adminLoadBalancer.AddListener("Admin", new BaseApplicationListenerProps
        {
            Port = AdminPort,
            Protocol = ApplicationProtocol.HTTP,
            Open = false,
        }).AddTargets("RestateAdmin", new AddApplicationTargetsProps
        {
            Port = AdminPort,
            Protocol = ApplicationProtocol.HTTP,
            Targets = [Service.LoadBalancerTarget(new LoadBalancerTargetOptions { ContainerName = RestateContainerName, ContainerPort = AdminPort })],
            HealthCheck = HealthCheckOn("/health"),
            DeregistrationDelay = Duration.Seconds(10),
        });

        // restate-server assumes this role for every Lambda call (registration's assume_role_arn); the task role
        // itself holds no Lambda permission.
        InvokerRole = new Role(this, "InvokerRole", new RoleProps
        {
            Description = "Assumed by restate-server on ECS to invoke the Holiday functions",
            AssumedBy = new ArnPrincipal(task.TaskRole.RoleArn),
        });
        InvokerRole.GrantAssumeRole(task.TaskRole);

        var ingressScheme = https ? "https" : "http";
        Environment = new RestateEnvironment(
            AdminUrl: $"http://{adminLoadBalancer.LoadBalancerDnsName}:{AdminPort}",
            IngressUrl: $"{ingressScheme}://{ingressLoadBalancer.LoadBalancerDnsName}",
            InvokerRole,
            AdminVpc: Vpc,
            Cloud: null);
    }

    public Vpc Vpc { get; }

    public LogGroup LogGroup { get; }

    public IRole TaskRole { get; }

    public FargateService Service { get; }

    public Role InvokerRole { get; }

    public RestateEnvironment Environment { get; }

    private static LoadBalancerHealthCheck HealthCheckOn(string path) => new()
    {
        Path = path,
        HealthyHttpCodes = "200",
        Interval = Duration.Seconds(10),
        Timeout = Duration.Seconds(5),
        HealthyThresholdCount = 2,
        UnhealthyThresholdCount = 3,
    };
}

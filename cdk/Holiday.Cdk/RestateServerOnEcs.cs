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

/// <summary>What <see cref="RestateServerOnEcs"/> needs to know.</summary>
public sealed class RestateServerOnEcsProps
{
    /// <summary>The restate-server image.</summary>
    public required string RestateImage { get; init; }

    /// <summary>The ADOT collector sidecar image.</summary>
    public required string AdotImage { get; init; }

    /// <summary>An ACM certificate: HTTPS on 443 (and a redirect on 80); null: HTTP on 80.</summary>
    public string? CertificateArn { get; init; }

    /// <summary>The IPv4 range the ingress load balancer admits.</summary>
    public required string IngressAllowedCidr { get; init; }

    /// <summary>The log group of restate-server and its collector.</summary>
    public required string LogGroupName { get; init; }

    public required RetentionDays LogRetention { get; init; }

    /// <summary>Keep the journal when the stack is deleted (it is backed up either way).</summary>
    public bool RetainData { get; init; }
}

/// <summary>
/// A single restate-server on ECS Fargate in its own VPC: the journal on EFS (it outlives the task), ingress behind an
/// internet-facing load balancer, the admin API behind an internal one that only the registrar can reach, logs in
/// CloudWatch, traces to X-Ray through an ADOT collector sidecar, and the role restate assumes to invoke the functions.
/// </summary>
public sealed class RestateServerOnEcs : Construct
{
    public const int IngressPort = 8080;
    public const int AdminPort = 9070;

    /// <summary>Restate's base directory; the EFS volume is mounted here, so the journal survives task replacement.</summary>
    public const string BaseDir = "/restate-data";

    public const string RestateContainerName = "restate";

    /// <summary>The POSIX user and group restate-server runs as and owns the journal as.</summary>
    public const string JournalUid = "1000";

    /// <summary>The task's memory; the collector gets <see cref="CollectorMemoryMiB"/> of it, restate-server the rest.</summary>
    public const int TaskMemoryMiB = 2048;

    public const int CollectorMemoryMiB = 256;

    private const string ScratchVolume = "scratch";
    public const string AdotContainerName = "adot-collector";

    /// <summary>
    /// How long the ingress load balancer keeps a quiet connection: a synchronous <c>trips/reserve</c> whose steps are
    /// retried, or an <c>/attach</c> to a running invocation, sends nothing until the saga ends. The default (60 s)
    /// would answer 504 while the saga goes on.
    /// </summary>
    public static readonly Duration IngressIdleTimeout = Duration.Seconds(900);

    public RestateServerOnEcs(Construct scope, string id, RestateServerOnEcsProps props) : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);

        Vpc = CreateNetwork(props);
        var journal = CreateJournal(props.RetainData);
        LogGroup = new LogGroup(this, "Logs", new LogGroupProps
        {
            LogGroupName = props.LogGroupName,
            Retention = props.LogRetention,
            RemovalPolicy = RemovalPolicy.DESTROY,
        });
        var task = CreateTask(props, journal);
        TaskRole = task.TaskRole;
        Service = CreateService(task, journal);
        var ingressUrl = CreateIngress(props);
        var (adminUrl, registrarSecurityGroup) = CreateAdmin();
        InvokerRole = CreateInvokerRole(task.TaskRole);

        Environment = new RestateEnvironment(adminUrl, ingressUrl, InvokerRole, new RestateAdminNetwork(Vpc, registrarSecurityGroup), Cloud: null);
    }

    public Vpc Vpc { get; }

    public LogGroup LogGroup { get; }

    public IRole TaskRole { get; }

    public FargateService Service { get; }

    public Role InvokerRole { get; }

    public RestateEnvironment Environment { get; }

    /// <summary>
    /// Public subnets for the ingress load balancer and the task (which pulls images and calls Lambda and STS over its
    /// public IP: no NAT gateway to pay for); isolated subnets for EFS, the admin load balancer and the registrar Lambda,
    /// which calls only the admin load balancer. Nothing in them needs S3 or another AWS endpoint.
    /// </summary>
    private Vpc CreateNetwork(RestateServerOnEcsProps props)
    {
        var vpc = new Vpc(this, "Vpc", new VpcProps
        {
            MaxAzs = 2,
            NatGateways = 0,
            SubnetConfiguration =
            [
                new SubnetConfiguration { Name = "Public", SubnetType = SubnetType.PUBLIC, CidrMask = 24 },
                new SubnetConfiguration { Name = "Private", SubnetType = SubnetType.PRIVATE_ISOLATED, CidrMask = 24 },
            ],
        });
        // Rejected connections only: what was refused is what is worth reading, and accepted traffic is the load
        // balancers' and restate-server's own business (its logs and traces).
        vpc.AddFlowLog("RejectedTraffic", new FlowLogOptions
        {
            TrafficType = FlowLogTrafficType.REJECT,
            Destination = FlowLogDestination.ToCloudWatchLogs(new LogGroup(this, "FlowLogs", new LogGroupProps
            {
                Retention = props.LogRetention,
                RemovalPolicy = RemovalPolicy.DESTROY,
            })),
        });
        return vpc;
    }

    private sealed record Journal(Amazon.CDK.AWS.EFS.FileSystem FileSystem, AccessPoint AccessPoint);

    private Journal CreateJournal(bool retain)
    {
        var fileSystem = new Amazon.CDK.AWS.EFS.FileSystem(this, "Journal", new FileSystemProps
        {
            Vpc = Vpc,
            VpcSubnets = new SubnetSelection { SubnetType = SubnetType.PRIVATE_ISOLATED },
            Encrypted = true,
            PerformanceMode = PerformanceMode.GENERAL_PURPOSE,
            // Pay per GB moved instead of burst credits that a tiny file system earns slowly.
            ThroughputMode = ThroughputMode.ELASTIC,
            // AWS Backup's daily backups (35 days); with RetainData the file system also outlives the stack.
            EnableAutomaticBackups = true,
            RemovalPolicy = retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
        });
        // Whatever user the image runs as, files on the volume belong to one fixed POSIX identity.
        var accessPoint = fileSystem.AddAccessPoint("JournalAccessPoint", new AccessPointOptions
        {
            Path = "/restate",
            CreateAcl = new Acl { OwnerUid = JournalUid, OwnerGid = JournalUid, Permissions = "750" },
            PosixUser = new PosixUser { Uid = JournalUid, Gid = JournalUid },
        });
        return new Journal(fileSystem, accessPoint);
    }

    /// <summary>restate-server with the journal mounted, and the ADOT collector it exports its spans to.</summary>
    private FargateTaskDefinition CreateTask(RestateServerOnEcsProps props, Journal journal)
    {
        var task = new FargateTaskDefinition(this, "Task", new FargateTaskDefinitionProps
        {
            Cpu = 1024,
            MemoryLimitMiB = TaskMemoryMiB,
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
                        FileSystemId = journal.FileSystem.FileSystemId,
                        TransitEncryption = "ENABLED",
                        AuthorizationConfig = new AuthorizationConfig { AccessPointId = journal.AccessPoint.AccessPointId, Iam = "ENABLED" },
                    },
                },
            ],
        });
        // Both containers run as non-root users on a read-only root file system; /tmp is a scratch volume in the task's
        // ephemeral storage. restate-server writes only its base directory (the journal) and /tmp.
        task.AddVolume(new Amazon.CDK.AWS.ECS.Volume { Name = ScratchVolume });
        journal.FileSystem.Grant(task.TaskRole, "elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite");
        // The ADOT collector sends restate's spans to X-Ray with the task's credentials.
        task.TaskRole.AddManagedPolicy(ManagedPolicy.FromAwsManagedPolicyName("AWSXrayWriteOnlyAccess"));

        var adot = task.AddContainer("Adot", new ContainerDefinitionOptions
        {
            ContainerName = AdotContainerName,
            Image = ContainerImage.FromRegistry(props.AdotImage),
            // The image's ECS configuration: an OTLP receiver on 4317/4318 and the X-Ray exporter.
            Command = ["--config=/etc/ecs/ecs-xray.yaml"],
            // Traces are worth losing before requests are: a dead collector does not stop restate-server.
            Essential = false,
            MemoryReservationMiB = 128,
            MemoryLimitMiB = CollectorMemoryMiB,
            // The image runs as root by default; the collector needs no file of its own beyond its configuration.
            User = "10001:10001",
            ReadonlyRootFilesystem = true,
            Environment = new Dictionary<string, string> { ["AWS_REGION"] = Aws.REGION },
            Logging = LogDriver.AwsLogs(new AwsLogDriverProps { LogGroup = LogGroup, StreamPrefix = "adot" }),
        });

        var restate = task.AddContainer("Restate", new ContainerDefinitionOptions
        {
            ContainerName = RestateContainerName,
            Image = ContainerImage.FromRegistry(props.RestateImage),
            Essential = true,
            MemoryLimitMiB = TaskMemoryMiB - CollectorMemoryMiB,
            // The journal's owner on the EFS access point.
            User = $"{JournalUid}:{JournalUid}",
            ReadonlyRootFilesystem = true,
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
        restate.AddMountPoints(
            new MountPoint { SourceVolume = "journal", ContainerPath = BaseDir, ReadOnly = false },
            new MountPoint { SourceVolume = ScratchVolume, ContainerPath = "/tmp", ReadOnly = false });
        adot.AddMountPoints(new MountPoint { SourceVolume = ScratchVolume, ContainerPath = "/tmp", ReadOnly = false });
        restate.AddContainerDependencies(new ContainerDependency { Container = adot, Condition = ContainerDependencyCondition.START });
        return task;
    }

    private FargateService CreateService(FargateTaskDefinition task, Journal journal)
    {
        var securityGroup = new SecurityGroup(this, "ServiceSecurityGroup", new SecurityGroupProps
        {
            Vpc = Vpc,
            Description = "restate-server: ingress and admin from their load balancers only",
            AllowAllOutbound = true,
        });
        var service = new FargateService(this, "Service", new FargateServiceProps
        {
            Cluster = new Cluster(this, "Cluster", new ClusterProps { Vpc = Vpc, ContainerInsights = true }),
            TaskDefinition = task,
            // One writer of the journal at any time: the old task stops before its replacement starts.
            DesiredCount = 1,
            MinHealthyPercent = 0,
            MaxHealthyPercent = 100,
            CircuitBreaker = new DeploymentCircuitBreaker { Enable = true, Rollback = true },
            HealthCheckGracePeriod = Duration.Seconds(120),
            VpcSubnets = new SubnetSelection { SubnetType = SubnetType.PUBLIC },
            AssignPublicIp = true,
            SecurityGroups = [securityGroup],
        });
        journal.FileSystem.Connections.AllowDefaultPortFrom(service, "restate-server mounts the journal");
        // The first task mounts the journal at once: on a fresh stack the mount targets may still be creating, the mount
        // fails, and enough failed tasks trip the circuit breaker. Start the service only once they are available.
        service.Node.AddDependency(journal.FileSystem.MountTargetsAvailable);
        return service;
    }

    /// <summary>The internet-facing load balancer in front of the ingress; returns the ingress URL.</summary>
    private string CreateIngress(RestateServerOnEcsProps props)
    {
        var loadBalancer = new ApplicationLoadBalancer(this, "IngressLoadBalancer", new ApplicationLoadBalancerProps
        {
            Vpc = Vpc,
            InternetFacing = true,
            VpcSubnets = new SubnetSelection { SubnetType = SubnetType.PUBLIC },
            IdleTimeout = IngressIdleTimeout,
            DropInvalidHeaderFields = true,
        });
        var https = props.CertificateArn is not null;
        var listenerPort = https ? 443 : 80;
        var listener = loadBalancer.AddListener("Ingress", new BaseApplicationListenerProps
        {
            Port = listenerPort,
            Protocol = https ? ApplicationProtocol.HTTPS : ApplicationProtocol.HTTP,
            Certificates = https ? [ListenerCertificate.FromArn(props.CertificateArn!)] : null,
            SslPolicy = https ? SslPolicy.RECOMMENDED_TLS : null,
            // The rules below admit only the allowed range.
            Open = false,
        });
        var allowed = Peer.Ipv4(props.IngressAllowedCidr);
        loadBalancer.Connections.AllowFrom(allowed, Port.Tcp(listenerPort), $"Restate ingress from {props.IngressAllowedCidr}");
        if (https)
        {
            loadBalancer.AddRedirect(new ApplicationLoadBalancerRedirectConfig
            {
                SourcePort = 80,
                SourceProtocol = ApplicationProtocol.HTTP,
                TargetPort = 443,
                TargetProtocol = ApplicationProtocol.HTTPS,
                Open = false,
            });
            loadBalancer.Connections.AllowFrom(allowed, Port.Tcp(80), $"Redirect to HTTPS for {props.IngressAllowedCidr}");
        }
        if (props.IngressAllowedCidr == DeploymentContext.AnyIpv4)
        {
            Annotations.Of(this).AddWarningV2("holiday:ingress-open-to-the-world",
                $"The Restate ingress admits every IPv4 address and has no authentication of its own: anyone with its URL can book trips. " +
                $"Restrict it with -c {DeploymentContext.IngressAllowedCidrKey}=<your range, e.g. 203.0.113.0/24>.");
        }
        listener.AddTargets("Restate", new AddApplicationTargetsProps
        {
            Port = IngressPort,
            Protocol = ApplicationProtocol.HTTP,
            Targets = [Service.LoadBalancerTarget(new LoadBalancerTargetOptions { ContainerName = RestateContainerName, ContainerPort = IngressPort })],
            HealthCheck = HealthCheckOn("/restate/health"),
            DeregistrationDelay = Duration.Seconds(10),
        });
        return $"{(https ? "https" : "http")}://{loadBalancer.LoadBalancerDnsName}";
    }

    /// <summary>
    /// The internal load balancer in front of the admin API, which registers deployments and cancels invocations: it
    /// admits the admin port from one security group only, the one the registrar gets. Returns the admin URL and that group.
    /// </summary>
    private (string AdminUrl, SecurityGroup Clients) CreateAdmin()
    {
        var securityGroup = new SecurityGroup(this, "AdminLoadBalancerSecurityGroup", new SecurityGroupProps
        {
            Vpc = Vpc,
            Description = "Restate admin API: from the registrar's security group only",
            AllowAllOutbound = false,
        });
        var clients = new SecurityGroup(this, "AdminClientSecurityGroup", new SecurityGroupProps
        {
            Vpc = Vpc,
            Description = "Holiday registrar: out to the Restate admin API only",
            AllowAllOutbound = false,
        });
        securityGroup.AddIngressRule(clients, Port.Tcp(AdminPort), "Restate admin API from the registrar");
        clients.AddEgressRule(securityGroup, Port.Tcp(AdminPort), "To the Restate admin API");

        var loadBalancer = new ApplicationLoadBalancer(this, "AdminLoadBalancer", new ApplicationLoadBalancerProps
        {
            Vpc = Vpc,
            InternetFacing = false,
            VpcSubnets = new SubnetSelection { SubnetType = SubnetType.PRIVATE_ISOLATED },
            SecurityGroup = securityGroup,
            DropInvalidHeaderFields = true,
        });
        loadBalancer.AddListener("Admin", new BaseApplicationListenerProps
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
        return ($"http://{loadBalancer.LoadBalancerDnsName}:{AdminPort}", clients);
    }

    /// <summary>
    /// restate-server assumes this role for every Lambda call (registration's <c>assume_role_arn</c>); the task role
    /// itself holds no Lambda permission.
    /// </summary>
    private Role CreateInvokerRole(IRole taskRole)
    {
        var role = new Role(this, "InvokerRole", new RoleProps
        {
            Description = "Assumed by restate-server on ECS to invoke the Holiday functions",
            AssumedBy = new ArnPrincipal(taskRole.RoleArn),
        });
        role.GrantAssumeRole(taskRole);
        return role;
    }

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

using System.Diagnostics.CodeAnalysis;
using Amazon.CDK;
using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.SQS;
using Constructs;
using Holiday.Services;

namespace Holiday.Cdk;

/// <summary>What <see cref="HolidayStack"/> deploys, and against which Restate.</summary>
public sealed class HolidayStackProps : StackProps
{
    /// <summary>Where Restate runs (RestateStack's environment).</summary>
    public required RestateEnvironment Restate { get; init; }

    /// <summary>The Holiday functions' Native AOT <c>bootstrap</c>.</summary>
    public required Code FunctionCode { get; init; }

    /// <summary>The registrar's Native AOT <c>bootstrap</c>.</summary>
    public required Code RegistrarCode { get; init; }

    /// <summary>False: the functions export no spans (no layer, no X-Ray rights).</summary>
    public bool TraceExport { get; init; } = true;

    /// <summary>
    /// The collector layer the functions export to; null: the ADOT collector layer of the stack's region, where AWS
    /// publishes one (<see cref="AdotCollectorLayer"/>).
    /// </summary>
    public string? CollectorLayerArn { get; init; }

    /// <summary>How long every log group keeps its events.</summary>
    public required RetentionDays LogRetention { get; init; }

    /// <summary>Keep the tables when the stack is deleted (they have point-in-time recovery either way).</summary>
    public bool RetainData { get; init; }

    /// <summary>restate-server's log group (self-hosted), repeated among this stack's outputs; null in cloud mode.</summary>
    public string? RestateLogGroupName { get; init; }
}

/// <summary>
/// The Holiday services: their DynamoDB tables, the notifications queue, the four Lambda functions (each with only its
/// own table), the invoker role's permission to call them, and one Restate registration per function version.
/// </summary>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "A CDK stack; the suffix is the CDK convention and names the CloudFormation stack.")]
public sealed class HolidayStack : Stack
{
    public HolidayStack(Construct scope, string id, HolidayStackProps props) : base(scope, id, props)
    {
        ArgumentNullException.ThrowIfNull(props);

        var tables = new Dictionary<string, Table>
        {
            [HolidayServices.Flights] = BookingTable("Flights", sortKey: true, props.RetainData),
            [HolidayServices.Cars] = BookingTable("Cars", sortKey: true, props.RetainData),
            [HolidayServices.Payments] = BookingTable("Payments", sortKey: true, props.RetainData),
            [HolidayServices.Trips] = BookingTable("Trips", sortKey: false, props.RetainData),
        };
        var deadLetters = new Queue(this, "NotificationsDeadLetters", new QueueProps
        {
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
            RetentionPeriod = Duration.Days(14),
        });
        var notifications = new Queue(this, "Notifications", new QueueProps
        {
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
            RetentionPeriod = Duration.Days(14),
            // A consumer that fails on a message five times leaves it here instead of retrying it forever.
            DeadLetterQueue = new DeadLetterQueue { MaxReceiveCount = 5, Queue = deadLetters },
        });

        var collector = props.TraceExport ? CollectorFor(props.CollectorLayerArn) : null;
        var functions = HolidayServices.FunctionNames.Select(service =>
        {
            var table = tables[service];
            var tableVariable = $"{service.ToUpperInvariant()}_TABLE_NAME";
            var environment = new Dictionary<string, string> { [tableVariable] = table.TableName };
            if (service == HolidayServices.Trips)
            {
                environment["NOTIFICATIONS_QUEUE_URL"] = notifications.QueueUrl;
            }
            var function = new HolidayFunction(this, $"{Capitalized(service)}Function", new HolidayFunctionProps
            {
                Service = service,
                Code = props.FunctionCode,
                Environment = environment,
                Collector = collector,
                LogRetention = props.LogRetention,
            });
            table.GrantReadWriteData(function.Function);
            if (service == HolidayServices.Trips)
            {
                notifications.GrantSendMessages(function.Function);
            }
            return function;
        }).ToList();

        // Every version of each function, not only the current one: invocations that started on an older (retained)
        // version keep running on it after a deploy, and Restate still needs to call it until they finish.
        var invokePolicy = new Policy(this, "RestateInvokePolicy", new PolicyProps
        {
            Roles = [props.Restate.InvokerRole],
            Statements =
            [
                new PolicyStatement(new PolicyStatementProps
                {
                    Actions = ["lambda:InvokeFunction"],
                    Resources = [.. functions.Select(f => $"{f.Function.FunctionArn}:*")],
                }),
            ],
        });

        Registrar = new RestateRegistrar(this, "RestateRegistrar", new RestateRegistrarProps
        {
            Code = props.RegistrarCode,
            Restate = props.Restate,
            LogRetention = props.LogRetention,
        });
        foreach (var function in functions)
        {
            // Discovery invokes the function as the invoker role: the permission must exist before registering.
            Registrar.Register(function.CurrentVersion, function.ExpectedServices).Node.AddDependency(invokePolicy);
        }

        foreach (var (service, table) in tables)
        {
            var name = service == HolidayServices.Trips ? "trip outcomes" : $"{service} bookings";
            Output($"{Capitalized(service)}TableName", table.TableName, $"DynamoDB table of {name}");
        }
        Output("NotificationsQueueUrl", notifications.QueueUrl, "SQS queue of trip notifications");
        Output("NotificationsDeadLetterQueueUrl", deadLetters.QueueUrl, "Notifications a consumer failed on five times");
        foreach (var function in functions)
        {
            Output($"{Capitalized(function.Service)}FunctionLogGroupName", function.LogGroup.LogGroupName, $"Logs of the {function.Service} function: aws logs tail <name> --follow");
        }
        if (props.RestateLogGroupName is { } restateLogs)
        {
            Output("RestateLogGroupName", restateLogs, "Logs of restate-server and its ADOT collector: aws logs tail <name> --follow");
        }
        Functions = functions;
    }

    public IReadOnlyList<HolidayFunction> Functions { get; }

    public RestateRegistrar Registrar { get; }

    /// <summary>
    /// Where the functions export their spans. A layer exists only in its own region, so: a given layer must be in the
    /// stack's region (checked at synth, or by a template rule); the ADOT layer is used where AWS publishes it. When
    /// synth knows the region and the ADOT layer is not there, the functions go without (a synth warning says so); when
    /// it does not, a condition on the region lets CloudFormation decide.
    /// </summary>
    private CollectorExport? CollectorFor(string? layerArn)
    {
        if (layerArn is not null)
        {
            RegionRule.Require(this, "CollectorLayerInStackRegion", DeploymentContext.RegionOfArn(layerArn),
                $"The collector layer {layerArn} must be in the region the stack deploys to: a function can only use layers of its own region.");
            return new CollectorExport(LayerVersion.FromLayerVersionArn(this, "CollectorLayer", layerArn), OnlyWhen: null);
        }
        if (!Token.IsUnresolved(Region))
        {
            if (AdotCollectorLayer.IsPublishedIn(Region))
            {
                return new CollectorExport(LayerVersion.FromLayerVersionArn(this, "CollectorLayer", AdotCollectorLayer.Arn(Region)), OnlyWhen: null);
            }
            Annotations.Of(this).AddWarningV2("holiday:collector-layer-unavailable",
                $"AWS publishes no ADOT collector layer in {Region}, so the Holiday functions export no traces (restate-server still does). " +
                $"Give a collector layer of {Region} with -c {DeploymentContext.LambdaCollectorLayerKey}=<layer version ARN>, " +
                $"or say -c {DeploymentContext.LambdaCollectorLayerKey}={DeploymentContext.NoCollectorLayer} to silence this.");
            return null;
        }
        var published = new CfnCondition(this, "AdotCollectorLayerInRegion", new CfnConditionProps
        {
            // Fn::Or takes at most 10 conditions: one Or per chunk of regions, and an Or of those.
            Expression = Fn.ConditionOr([.. AdotCollectorLayer.Regions.Chunk(10)
                .Select(chunk => Fn.ConditionOr([.. chunk.Select(region => Fn.ConditionEquals(Aws.REGION, region))]))]),
        });
        return new CollectorExport(LayerVersion.FromLayerVersionArn(this, "CollectorLayer", AdotCollectorLayer.Arn(Aws.REGION)), published);
    }

    private static string Capitalized(string name) => char.ToUpperInvariant(name[0]) + name[1..];

    private void Output(string id, string value, string description) =>
        _ = new CfnOutput(this, id, new CfnOutputProps { Value = value, Description = description });

    /// <summary>A table keyed <c>pk</c> (trip id) and, for bookings and payments, <c>sk</c> (booking or payment id).</summary>
    private Table BookingTable(string id, bool sortKey, bool retain) => new(this, id, new TableProps
    {
        PartitionKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = "pk", Type = AttributeType.STRING },
        SortKey = sortKey ? new Amazon.CDK.AWS.DynamoDB.Attribute { Name = "sk", Type = AttributeType.STRING } : null,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        PointInTimeRecovery = true,
        RemovalPolicy = retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
}

using System.Diagnostics.CodeAnalysis;
using Amazon.CDK;
using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.SQS;
using Constructs;

namespace Holiday.Cdk;

/// <summary>
/// The Holiday services: their DynamoDB tables, the notifications queue, the four Lambda functions (each with only its
/// own table), the invoker role's permission to call them, and one Restate registration per function version.
/// </summary>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "A CDK stack; the suffix is the CDK convention and names the CloudFormation stack.")]
public sealed class HolidayStack : Stack
{
    /// <param name="scope">The app.</param>
    /// <param name="id">The stack's name.</param>
    /// <param name="context">The checked context.</param>
    /// <param name="restate">Where Restate runs.</param>
    /// <param name="props">Stack settings.</param>
    /// <param name="bundlers">Receives the bundlers of the assets synth publishes, as soon as each exists.</param>
    public HolidayStack(Construct scope, string id, DeploymentContext context, RestateEnvironment restate, IStackProps? props = null,
        List<AotPublishBundling>? bundlers = null)
        : base(scope, id, props)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(restate);

        var flightsTable = BookingTable("Flights", sortKey: true);
        var carsTable = BookingTable("Cars", sortKey: true);
        var paymentsTable = BookingTable("Payments", sortKey: true);
        var tripsTable = BookingTable("Trips", sortKey: false);
        var notifications = new Queue(this, "Notifications", new QueueProps
        {
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
            RetentionPeriod = Duration.Days(14),
        });

        bundlers ??= [];
        var code = Asset(context, context.LambdaAssetPath, DeploymentContext.LambdaAssetPathKey, DeploymentContext.LambdaProject, bundlers);
        var observability = new FunctionObservability(
            context.LambdaTracing
                ? LayerVersion.FromLayerVersionArn(this, "CollectorLayer", context.LambdaCollectorLayerArn ?? DeploymentContext.DefaultLambdaCollectorLayerArn(Aws.REGION))
                : null,
            context.LogRetention);
        var trips = new HolidayFunction(this, "TripsFunction", "trips", code, new Dictionary<string, string>
        {
            ["TRIPS_TABLE_NAME"] = tripsTable.TableName,
            ["NOTIFICATIONS_QUEUE_URL"] = notifications.QueueUrl,
        }, observability);
        tripsTable.GrantReadWriteData(trips.Function);
        notifications.GrantSendMessages(trips.Function);

        var flights = new HolidayFunction(this, "FlightsFunction", "flights", code, new Dictionary<string, string> { ["FLIGHTS_TABLE_NAME"] = flightsTable.TableName }, observability);
        flightsTable.GrantReadWriteData(flights.Function);

        var cars = new HolidayFunction(this, "CarsFunction", "cars", code, new Dictionary<string, string> { ["CARS_TABLE_NAME"] = carsTable.TableName }, observability);
        carsTable.GrantReadWriteData(cars.Function);

        var payments = new HolidayFunction(this, "PaymentsFunction", "payments", code, new Dictionary<string, string> { ["PAYMENTS_TABLE_NAME"] = paymentsTable.TableName }, observability);
        paymentsTable.GrantReadWriteData(payments.Function);

        HolidayFunction[] functions = [trips, flights, cars, payments];

        // Every version of each function, not only the current one: invocations that started on an older (retained)
        // version keep running on it after a deploy, and Restate still needs to call it until they finish.
        var invokePolicy = new Policy(this, "RestateInvokePolicy", new PolicyProps
        {
            Roles = [restate.InvokerRole],
            Statements =
            [
                new PolicyStatement(new PolicyStatementProps
                {
                    Actions = ["lambda:InvokeFunction"],
                    Resources = [.. functions.Select(f => $"{f.Function.FunctionArn}:*")],
                }),
            ],
        });

        var registrarCode = Asset(context, context.RegistrarAssetPath, DeploymentContext.RegistrarAssetPathKey, DeploymentContext.RegistrarProject, bundlers);
        var registrar = new RestateRegistrar(this, "RestateRegistrar", registrarCode, restate, context.LogRetention);
        foreach (var function in functions)
        {
            // Discovery invokes the function as the invoker role: the permission must exist before registering.
            registrar.Register(function.CurrentVersion, function.ExpectedServices).Node.AddDependency(invokePolicy);
        }

        Output("FlightsTableName", flightsTable.TableName, "DynamoDB table of flight bookings");
        Output("CarsTableName", carsTable.TableName, "DynamoDB table of car rentals");
        Output("PaymentsTableName", paymentsTable.TableName, "DynamoDB table of payments");
        Output("TripsTableName", tripsTable.TableName, "DynamoDB table of trip outcomes");
        Output("NotificationsQueueUrl", notifications.QueueUrl, "SQS queue of trip notifications");
        foreach (var function in functions)
        {
            var name = char.ToUpperInvariant(function.Service[0]) + function.Service[1..];
            Output($"{name}FunctionLogGroupName", function.LogGroup.LogGroupName, $"Logs of the {function.Service} function: aws logs tail <name> --follow");
        }
        if (context.Mode == DeploymentMode.SelfHosted)
        {
            Output("RestateLogGroupName", context.RestateLogGroupName, "Logs of restate-server and its ADOT collector: aws logs tail <name> --follow");
        }
        Functions = functions;
        Registrar = registrar;
        Bundlers = bundlers;
    }

    public IReadOnlyList<HolidayFunction> Functions { get; }

    public RestateRegistrar Registrar { get; }

    /// <summary>The bundlers that publish assets during synth (none when every asset folder is given in context).</summary>
    public IReadOnlyList<AotPublishBundling> Bundlers { get; }

    /// <summary>A pre-published folder when its context key names one; otherwise the project, published during synth.</summary>
    private static Amazon.CDK.AWS.Lambda.AssetCode Asset(DeploymentContext context, string? folder, string contextKey, string project, List<AotPublishBundling> bundlers)
    {
        if (folder is not null)
        {
            return BootstrapAsset.FromFolder(contextKey, folder);
        }
        var code = BootstrapAsset.FromProject(context.RepositoryRoot, project, contextKey, out var bundling);
        bundlers.Add(bundling);
        return code;
    }

    private void Output(string id, string value, string description) =>
        _ = new CfnOutput(this, id, new CfnOutputProps { Value = value, Description = description });

    /// <summary>A table keyed <c>pk</c> (trip id) and, for bookings and payments, <c>sk</c> (booking or payment id).</summary>
    private Table BookingTable(string id, bool sortKey) => new(this, id, new TableProps
    {
        PartitionKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = "pk", Type = AttributeType.STRING },
        SortKey = sortKey ? new Amazon.CDK.AWS.DynamoDB.Attribute { Name = "sk", Type = AttributeType.STRING } : null,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        RemovalPolicy = RemovalPolicy.DESTROY,
    });
}

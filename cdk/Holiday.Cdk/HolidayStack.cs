using System.Diagnostics.CodeAnalysis;
using Amazon.CDK;
using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.IAM;
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
    public const string LambdaPublishCommand = "dotnet publish src/Holiday.Lambda -c Release -r linux-x64 -o artifacts/lambda";
    public const string RegistrarPublishCommand = "dotnet publish src/Holiday.Registrar -c Release -r linux-x64 -o artifacts/registrar";

    public HolidayStack(Construct scope, string id, DeploymentContext context, RestateEnvironment restate, IStackProps? props = null)
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

        var code = BootstrapAsset.FromFolder(DeploymentContext.LambdaAssetPathKey, context.LambdaAssetPath, LambdaPublishCommand);
        var trips = new HolidayFunction(this, "TripsFunction", "trips", code, new Dictionary<string, string>
        {
            ["TRIPS_TABLE_NAME"] = tripsTable.TableName,
            ["NOTIFICATIONS_QUEUE_URL"] = notifications.QueueUrl,
        });
        tripsTable.GrantReadWriteData(trips.Function);
        notifications.GrantSendMessages(trips.Function);

        var flights = new HolidayFunction(this, "FlightsFunction", "flights", code, new Dictionary<string, string> { ["FLIGHTS_TABLE_NAME"] = flightsTable.TableName });
        flightsTable.GrantReadWriteData(flights.Function);

        var cars = new HolidayFunction(this, "CarsFunction", "cars", code, new Dictionary<string, string> { ["CARS_TABLE_NAME"] = carsTable.TableName });
        carsTable.GrantReadWriteData(cars.Function);

        var payments = new HolidayFunction(this, "PaymentsFunction", "payments", code, new Dictionary<string, string> { ["PAYMENTS_TABLE_NAME"] = paymentsTable.TableName });
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

        var registrarCode = BootstrapAsset.FromFolder(DeploymentContext.RegistrarAssetPathKey, context.RegistrarAssetPath, RegistrarPublishCommand);
        var registrar = new RestateRegistrar(this, "RestateRegistrar", registrarCode, restate);
        foreach (var function in functions)
        {
            // Discovery invokes the function as the invoker role: the permission must exist before registering.
            registrar.Register(function.CurrentVersion).Node.AddDependency(invokePolicy);
        }

        _ = new CfnOutput(this, "TripsTableName", new CfnOutputProps { Value = tripsTable.TableName, Description = "Trip outcomes" });
        _ = new CfnOutput(this, "NotificationsQueueUrl", new CfnOutputProps { Value = notifications.QueueUrl, Description = "Trip notifications" });
        Functions = functions;
    }

    public IReadOnlyList<HolidayFunction> Functions { get; }

    /// <summary>A table keyed <c>pk</c> (trip id) and, for bookings and payments, <c>sk</c> (booking or payment id).</summary>
    private Table BookingTable(string id, bool sortKey) => new(this, id, new TableProps
    {
        PartitionKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = "pk", Type = AttributeType.STRING },
        SortKey = sortKey ? new Amazon.CDK.AWS.DynamoDB.Attribute { Name = "sk", Type = AttributeType.STRING } : null,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        RemovalPolicy = RemovalPolicy.DESTROY,
    });
}

using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Constructs;
using Holiday.Services;
using LambdaVersion = Amazon.CDK.AWS.Lambda.Version_;

namespace Holiday.Cdk;

/// <summary>What a <see cref="HolidayFunction"/> needs to know.</summary>
public sealed class HolidayFunctionProps
{
    /// <summary>The <c>HOLIDAY_SERVICE</c> value: one of <see cref="HolidayServices.FunctionNames"/>.</summary>
    public required string Service { get; init; }

    /// <summary>The shared Native AOT <c>bootstrap</c>.</summary>
    public required Code Code { get; init; }

    /// <summary>The service's own variables (table names, queue URL).</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    /// <summary>Where the function exports its spans; null: no trace export.</summary>
    public CollectorExport? Collector { get; init; }

    public required RetentionDays LogRetention { get; init; }
}

/// <summary>
/// The OpenTelemetry collector extension the functions export their spans to.
/// </summary>
/// <param name="Layer">The collector layer.</param>
/// <param name="OnlyWhen">
/// A condition that CloudFormation evaluates at deploy time: the layer, the export and the X-Ray rights exist only where
/// it holds (environment-agnostic stacks whose region decides whether the layer exists); null: always.
/// </param>
public sealed record CollectorExport(ILayerVersion Layer, CfnCondition? OnlyWhen);

/// <summary>
/// One Holiday Lambda function: the shared Native AOT <c>bootstrap</c> on provided.al2023, serving the Restate service
/// that <c>HOLIDAY_SERVICE</c> names. Every published version is retained, so invocations that started on an older
/// version (Restate pins an invocation to the deployment it started on) can drain after a deploy.
/// </summary>
public sealed class HolidayFunction : Construct
{
    /// <summary>Where the collector layer receives OTLP over HTTP (its default receiver on the function's loopback).</summary>
    public const string CollectorEndpoint = "http://localhost:4318";

    public HolidayFunction(Construct scope, string id, HolidayFunctionProps props) : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        Service = props.Service;
        ExpectedServices = HolidayServices.ServicesOf.TryGetValue(props.Service, out var services)
            ? services
            : throw new ArgumentException($"'{props.Service}' is not a Holiday function; expected one of {string.Join(", ", HolidayServices.FunctionNames)}.", nameof(props));
        LogGroup = new LogGroup(this, "Logs", new LogGroupProps
        {
            Retention = props.LogRetention,
            RemovalPolicy = RemovalPolicy.DESTROY,
        });

        var collector = props.Collector;
        var variables = new Dictionary<string, string>(props.Environment) { ["HOLIDAY_SERVICE"] = props.Service };
        if (collector is not null)
        {
            // Holiday's TracerProvider reads these (src/Holiday.Hosting/HolidayTelemetry.cs); an empty endpoint turns it off. The bootstrap
            // flushes before each response, so the collector extension has every span before Lambda freezes the sandbox.
            variables["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.OnlyWhen is { } condition
                ? Fn.ConditionIf(condition.LogicalId, CollectorEndpoint, "").ToString()
                : CollectorEndpoint;
            variables["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
            variables["OTEL_SERVICE_NAME"] = $"holiday-{props.Service}";
        }
        // "Default": the function is this construct's default child, so its logical id is the construct's.
        Function = new Function(this, "Default", new FunctionProps
        {
            Description = $"Holiday {props.Service} (Restate service, .NET Native AOT)",
            Runtime = Runtime.PROVIDED_AL2023,
            Architecture = Architecture.X86_64,
            Handler = "bootstrap",
            Code = props.Code,
            MemorySize = 512,
            // Above the services' own DynamoDB/SQS timeouts (10 s, two retries) so a slow call fails as a step error.
            Timeout = Duration.Seconds(30),
            Environment = variables,
            CurrentVersionOptions = new VersionOptions { RemovalPolicy = RemovalPolicy.RETAIN },
            LogGroup = LogGroup,
            Layers = collector is { OnlyWhen: null } ? [collector.Layer] : null,
        });
        if (collector is not null)
        {
            ExportTraces(collector);
        }
    }

    /// <summary>The <c>HOLIDAY_SERVICE</c> value: trips, flights, cars or payments.</summary>
    public string Service { get; }

    /// <summary>The Restate services registering this function must bring back.</summary>
    public IReadOnlyList<string> ExpectedServices { get; }

    /// <summary>Where the function logs.</summary>
    public LogGroup LogGroup { get; }

    public Function Function { get; }

    /// <summary>The version for this synth's code and configuration; registered with Restate.</summary>
    public LambdaVersion CurrentVersion => Function.CurrentVersion;

    /// <summary>
    /// The ADOT collector's X-Ray exporter writes with the function's credentials. Lambda's own active tracing stays
    /// off: its segments would start a second trace, since restate-server sends a W3C traceparent, not an X-Amzn-Trace-Id.
    /// </summary>
    private void ExportTraces(CollectorExport collector)
    {
        var policy = new Policy(this, "TraceExport", new PolicyProps
        {
            Roles = [Function.Role!],
            Statements =
            [
                new PolicyStatement(new PolicyStatementProps
                {
                    // X-Ray's write and sampling actions have no resource-level permissions.
                    Actions = ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"],
                    Resources = ["*"],
                }),
            ],
        });
        if (collector.OnlyWhen is { } condition)
        {
            ((CfnPolicy)policy.Node.DefaultChild!).CfnOptions.Condition = condition;
            // Written out as Fn::If: the jsii runtime cannot pass Fn.ConditionIf's result where an untyped value goes.
            ((CfnFunction)Function.Node.DefaultChild!).AddPropertyOverride("Layers", new Dictionary<string, object>
            {
                ["Fn::If"] = new object[] { condition.LogicalId, new[] { collector.Layer.LayerVersionArn }, new Dictionary<string, object> { ["Ref"] = "AWS::NoValue" } },
            });
        }
    }
}

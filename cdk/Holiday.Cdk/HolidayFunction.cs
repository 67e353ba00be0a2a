using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Constructs;
using LambdaVersion = Amazon.CDK.AWS.Lambda.Version_;

namespace Holiday.Cdk;

/// <summary>
/// One Holiday Lambda function: the shared Native AOT <c>bootstrap</c> on provided.al2023, serving the Restate service
/// that <c>HOLIDAY_SERVICE</c> names. Every published version is retained, so invocations that started on an older
/// version (Restate pins an invocation to the deployment it started on) can drain after a deploy.
/// </summary>
public sealed class HolidayFunction : Construct
{
    /// <summary>
    /// The Restate services each <c>HOLIDAY_SERVICE</c> value exposes (src/Holiday's <c>HolidayServices.ForFunction</c>):
    /// trips carries its private saga object.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> ServicesOf { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        ["trips"] = ["trips", "trip_saga"],
        ["flights"] = ["flights"],
        ["cars"] = ["cars"],
        ["payments"] = ["payments"],
    };

    /// <summary>Where the collector layer receives OTLP over HTTP (its default receiver on the function's loopback).</summary>
    public const string CollectorEndpoint = "http://localhost:4318";

    /// <param name="scope">The stack.</param>
    /// <param name="id">The construct id.</param>
    /// <param name="service">The <c>HOLIDAY_SERVICE</c> value.</param>
    /// <param name="code">The shared Native AOT <c>bootstrap</c>.</param>
    /// <param name="environment">The service's own variables (table names, queue URL).</param>
    /// <param name="observability">The collector layer (null: no trace export) and the log retention.</param>
    public HolidayFunction(Construct scope, string id, string service, Code code, IReadOnlyDictionary<string, string> environment,
        FunctionObservability observability)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(observability);
        Service = service;
        ExpectedServices = ServicesOf.TryGetValue(service, out var services)
            ? services
            : throw new ArgumentException($"'{service}' is not a Holiday function; expected one of {string.Join(", ", ServicesOf.Keys)}.", nameof(service));
        LogGroup = new LogGroup(this, "Logs", new LogGroupProps
        {
            Retention = observability.LogRetention,
            RemovalPolicy = RemovalPolicy.DESTROY,
        });

        var variables = new Dictionary<string, string>(environment) { ["HOLIDAY_SERVICE"] = service };
        if (observability.CollectorLayer is not null)
        {
            // Holiday's TracerProvider reads these (src/Holiday/Telemetry); the bootstrap flushes before each response,
            // so the collector extension has every span before Lambda freezes the sandbox.
            variables["OTEL_EXPORTER_OTLP_ENDPOINT"] = CollectorEndpoint;
            variables["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
            variables["OTEL_SERVICE_NAME"] = $"holiday-{service}";
        }
        // "Default": the function is this construct's default child, so its logical id is the construct's.
        Function = new Function(this, "Default", new FunctionProps
        {
            Description = $"Holiday {service} (Restate service, .NET Native AOT)",
            Runtime = Runtime.PROVIDED_AL2023,
            Architecture = Architecture.X86_64,
            Handler = "bootstrap",
            Code = code,
            MemorySize = 512,
            // Above the services' own DynamoDB/SQS timeouts (10 s, two retries) so a slow call fails as a step error.
            Timeout = Duration.Seconds(30),
            Environment = variables,
            CurrentVersionOptions = new VersionOptions { RemovalPolicy = RemovalPolicy.RETAIN },
            LogGroup = LogGroup,
            Layers = observability.CollectorLayer is { } layer ? [layer] : null,
        });
        if (observability.CollectorLayer is not null)
        {
            // The ADOT collector's X-Ray exporter writes with the function's credentials. Lambda's own active tracing
            // stays off: its segments would start a second trace, since restate-server sends a W3C traceparent, not
            // an X-Amzn-Trace-Id.
            Function.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
            {
                Actions = ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"],
                Resources = ["*"],
            }));
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
}

/// <summary>What every Holiday function shares for traces and logs.</summary>
/// <param name="CollectorLayer">The OpenTelemetry collector extension the functions export to; null turns trace export off.</param>
/// <param name="LogRetention">How long the functions' log groups keep their events.</param>
public sealed record FunctionObservability(ILayerVersion? CollectorLayer, RetentionDays LogRetention);

using System.Diagnostics;
using System.Globalization;
using Holiday.Local;
using Restate.Sdk.Testing.Lambda;

namespace Holiday.LambdaCost;

/// <summary>
/// One Holiday deployed as four Lambda functions (trips, flights, cars, payments) in the emulator, with the memory size
/// and architecture its own CDK stack configures.
/// </summary>
/// <param name="Name">The <c>--targets</c> value.</param>
/// <param name="Label">How tables name it.</param>
/// <param name="MemorySizeMb">The configured memory of each of its functions.</param>
/// <param name="Architecture">The configured architecture: <c>x86_64</c> or <c>arm64</c>.</param>
/// <param name="Runtime">What runs in each instance.</param>
/// <param name="Functions">Its four functions.</param>
internal sealed record LambdaSystem(string Name, string Label, int MemorySizeMb, string Architecture, string Runtime,
    IReadOnlyList<LambdaFunctionDefinition> Functions)
{
    /// <summary>Our Holiday: <c>src/Holiday.Lambda</c>'s Native AOT bootstrap, one function per service.</summary>
    public const string Holiday = "holiday-lambda";

    /// <summary>The TypeScript original: each <c>src/*.ts</c> handler bundled, under our Node.js runtime loop.</summary>
    public const string TypeScript = "ts-lambda";

    public static IReadOnlyList<string> All { get; } = [Holiday, TypeScript];

    /// <summary>The four services, in the order both Holidays name their functions.</summary>
    public static IReadOnlyList<string> Services { get; } = ["trips", "flights", "cars", "payments"];

    /// <summary><c>cdk/Holiday.Cdk/HolidayFunction.cs</c>: <c>MemorySize = 512</c>, <c>Architecture.X86_64</c>.</summary>
    public const int HolidayMemoryMb = 512;

    /// <summary>The original's <c>lib/holiday-service-stack.ts</c>: <c>memorySize: 512</c>, <c>ARM_64</c>, Node.js 18.</summary>
    public const int TypeScriptMemoryMb = 512;

    /// <summary>The bundles the TypeScript target needs in <c>--ts-holiday-dir</c>, one per service.</summary>
    public const string TsBundleFolder = "lambda";

    /// <summary>
    /// Our functions, run from <paramref name="bootstrap"/> (a private copy of the published <c>bootstrap</c>), each
    /// with <c>HOLIDAY_SERVICE</c> naming its service, the tables on <paramref name="dynamoDb"/>, and no notification
    /// queue or tracing (the original publishes nothing on success either).
    /// </summary>
    public static LambdaSystem CreateHoliday(string bootstrap, Uri dynamoDb) => new(Holiday, "ours (Native AOT)",
        HolidayMemoryMb, "x86_64", "provided.al2023: the Native AOT bootstrap",
        [.. Services.Select(service => new LambdaFunctionDefinition
        {
            Name = $"holiday-{service}",
            ExecutablePath = bootstrap,
            MemorySizeMb = HolidayMemoryMb,
            Environment = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["HOLIDAY_SERVICE"] = service,
                ["AWS_ENDPOINT_URL_DYNAMODB"] = dynamoDb.ToString(),
                ["AWS_ACCESS_KEY_ID"] = "local",
                ["AWS_SECRET_ACCESS_KEY"] = "local",
                // Empty is unset to the Holiday: no SQS notifications, no OTLP export.
                ["NOTIFICATIONS_QUEUE_URL"] = string.Empty,
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = string.Empty,
            },
        })]);

    /// <summary>
    /// The original's functions: <c>node runtime.js</c> (our Runtime API loop) with <c>_HANDLER=&lt;service&gt;.handler</c>
    /// in <c>&lt;tsDirectory&gt;/lambda/</c>, and the environment its CDK stack gives each function: the table of its
    /// own service, <c>NODE_OPTIONS=--enable-source-maps</c>, and for trips <c>SNS_TOPIC</c>, which this tool leaves
    /// empty so that a successful trip publishes nothing.
    /// </summary>
    public static LambdaSystem CreateTypeScript(string tsDirectory, string runtimeScript, Uri dynamoDb) => new(TypeScript,
        "TypeScript original", TypeScriptMemoryMb, "arm64", "Node.js (ours: NodeRuntime/runtime.js) with the esbuild bundle of src/<service>.ts",
        [.. Services.Select(service => new LambdaFunctionDefinition
        {
            Name = $"ts-{service}",
            StartInfoFactory = () => new ProcessStartInfo("node")
            {
                ArgumentList = { runtimeScript },
                WorkingDirectory = Path.Combine(tsDirectory, TsBundleFolder),
            },
            Handler = $"{service}.handler",
            MemorySizeMb = TypeScriptMemoryMb,
            Environment = TsEnvironment(service, dynamoDb),
        })]);

    /// <summary>The tables the original's functions use, each keyed <c>pk</c> + <c>sk</c> as its CDK stack creates them.</summary>
    public static IReadOnlyList<string> TsTables { get; } = ["TsFlights", "TsCars", "TsPayments"];

    private static Dictionary<string, string> TsEnvironment(string service, Uri dynamoDb)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AWS_ENDPOINT"] = dynamoDb.ToString(),
            ["AWS_ACCESS_KEY_ID"] = "local",
            ["AWS_SECRET_ACCESS_KEY"] = "local",
            ["NODE_OPTIONS"] = "--enable-source-maps",
        };
        switch (service)
        {
            case "trips":
                environment["SNS_TOPIC"] = string.Empty;
                break;
            case "flights":
                environment["FLIGHTS_TABLE_NAME"] = "TsFlights";
                break;
            case "cars":
                environment["CARS_TABLE_NAME"] = "TsCars";
                break;
            case "payments":
                environment["PAYMENTS_TABLE_NAME"] = "TsPayments";
                break;
            default:
                throw new ArgumentException($"Unknown service '{service}'.", nameof(service));
        }

        return environment;
    }

    /// <summary>The path of one bundle in a <c>--ts-holiday-dir</c>.</summary>
    public static string TsBundle(string tsDirectory, string service) =>
        Path.Combine(tsDirectory, TsBundleFolder, string.Create(CultureInfo.InvariantCulture, $"{service}.js"));
}

using System.Text.Json.Nodes;
using Amazon.CDK.Assertions;
using Holiday.Services;

namespace Holiday.Cdk.Tests;

[Collection(CdkSynthGroup.Name)]
public sealed class HolidayStackTests(CdkFixture fixture)
{

    private static readonly Dictionary<string, string> TableOf = new()
    {
        ["trips"] = "Trips",
        ["flights"] = "Flights",
        ["cars"] = "Cars",
        ["payments"] = "Payments",
    };

    private SynthesizedApp App => fixture.Synth(CdkFixture.SelfHosted);

    private SynthesizedApp CloudApp => fixture.Synth(CdkFixture.Cloud);

    private static Dictionary<string, object> Props(params (string Key, object Value)[] values) => values.ToDictionary(v => v.Key, v => v.Value);

    /// <summary>The Holiday functions by service name (the registrar has no HOLIDAY_SERVICE).</summary>
    private static Dictionary<string, KeyValuePair<string, JsonObject>> Functions(JsonObject template) =>
        template.Resources("AWS::Lambda::Function")
            .Where(f => f.Value.Variable("HOLIDAY_SERVICE") is not null)
            .ToDictionary(f => (string)f.Value.Variable("HOLIDAY_SERVICE")!, f => f);

    /// <summary>The table's logical id: the DynamoDB table whose construct id is <paramref name="name"/>.</summary>
    private static string TableId(JsonObject template, string name) =>
        template.Resources("AWS::DynamoDB::Table").Keys.Single(id => id.StartsWith(name, StringComparison.Ordinal) && id.Length == name.Length + 8);

    /// <summary>The notifications queue: the one with a redrive policy (the other is its dead-letter queue).</summary>
    private static string NotificationsQueueId(JsonObject template) =>
        Assert.Single(template.Resources("AWS::SQS::Queue"), q => q.Value.Properties()["RedrivePolicy"] is not null).Key;

    private static string RegistrarId(JsonObject template) =>
        template.Resources("AWS::Lambda::Function")
            .Single(f => f.Value.Variable("HOLIDAY_SERVICE") is null && (string?)f.Value.Properties()["Handler"] == "bootstrap").Key;

    /// <summary>The provider framework's onEvent function (CDK's Node.js code).</summary>
    private static string FrameworkId(JsonObject template) =>
        template.Resources("AWS::Lambda::Function").Single(f => (string?)f.Value.Properties()["Handler"] == "framework.onEvent").Key;

    [Fact]
    public void Tables_AreKeyedPkAndSk_TripsByPk_PayPerRequest()
    {
        App.Holiday.ResourceCountIs("AWS::DynamoDB::Table", 4);
        foreach (var name in new[] { "Flights", "Cars", "Payments" })
        {
            var table = App.HolidayJson.Resource(TableId(App.HolidayJson, name)).Properties();
            Assert.Equal("PAY_PER_REQUEST", (string?)table["BillingMode"]);
            Assert.True(JsonNode.DeepEquals(
                JsonNode.Parse("""[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}]"""), table["KeySchema"]), name);
            Assert.True(JsonNode.DeepEquals(
                JsonNode.Parse("""[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"}]"""), table["AttributeDefinitions"]), name);
        }

        var trips = App.HolidayJson.Resource(TableId(App.HolidayJson, "Trips")).Properties();
        Assert.Equal("PAY_PER_REQUEST", (string?)trips["BillingMode"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"AttributeName":"pk","KeyType":"HASH"}]"""), trips["KeySchema"]));
    }

    [Fact]
    public void Functions_AreFourNativeAotFunctionsOnProvidedAl2023X86()
    {
        var functions = Functions(App.HolidayJson);

        Assert.Equal(HolidayServices.FunctionNames.Order(), functions.Keys.Order());
        foreach (var (service, (_, function)) in functions)
        {
            var properties = function.Properties();
            Assert.Equal("provided.al2023", (string?)properties["Runtime"]);
            Assert.Equal("x86_64", (string?)Assert.Single(properties["Architectures"]!.AsArray()));
            Assert.Equal(512, (int)properties["MemorySize"]!);
            Assert.InRange((int)properties["Timeout"]!, 10, 30);
            Assert.Equal("bootstrap", (string?)properties["Handler"]);
            Assert.Equal(service, (string?)function.Variable("HOLIDAY_SERVICE"));
        }
    }

    [Fact]
    public void Functions_GetTheirOwnTableNameAndTripsTheQueueUrl()
    {
        var functions = Functions(App.HolidayJson);
        var queueId = NotificationsQueueId(App.HolidayJson);

        foreach (var (service, (_, function)) in functions)
        {
            var variables = function.Properties()["Environment"]!["Variables"]!.AsObject();
            var table = TableOf[service];
            Assert.Equal([TableId(App.HolidayJson, table)], function.Variable($"{table.ToUpperInvariant()}_TABLE_NAME").ReferencedIds());
            string[] telemetry = ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_SERVICE_NAME"];
            string[] expected = service == "trips"
                ? ["HOLIDAY_SERVICE", "NOTIFICATIONS_QUEUE_URL", "TRIPS_TABLE_NAME", .. telemetry]
                : ["HOLIDAY_SERVICE", $"{table.ToUpperInvariant()}_TABLE_NAME", .. telemetry];
            Assert.Equal(expected.Order(), variables.Select(v => v.Key).Order());
        }
        Assert.Equal([queueId], functions["trips"].Value.Variable("NOTIFICATIONS_QUEUE_URL").ReferencedIds());
    }

    [Theory]
    [InlineData("self-hosted")]
    [InlineData("cloud")]
    public void Functions_InARegionWithTheAdotLayer_ExportTracesToIt_AndMayWriteToXRay(string mode)
    {
        var app = fixture.Synth(mode == "cloud" ? CdkFixture.Cloud : CdkFixture.SelfHosted, region: "eu-central-1");

        foreach (var (service, (_, function)) in Functions(app.HolidayJson))
        {
            var properties = function.Properties();
            var layer = Assert.Single(properties["Layers"]!.AsArray());
            Assert.Equal("arn:aws:lambda:eu-central-1:901920570463:layer:aws-otel-collector-amd64-ver-0-117-0:1", (string?)layer);
            // The spans go to the collector extension on the function's loopback, named after the service.
            Assert.Equal("http://localhost:4318", (string?)function.Variable("OTEL_EXPORTER_OTLP_ENDPOINT"));
            Assert.Equal("http/protobuf", (string?)function.Variable("OTEL_EXPORTER_OTLP_PROTOCOL"));
            Assert.Equal($"holiday-{service}", (string?)function.Variable("OTEL_SERVICE_NAME"));
            // Lambda's own active tracing would start a second trace: the W3C trace comes from restate-server.
            Assert.Null(properties["TracingConfig"]);
            var xray = XRayActions(app.HolidayJson, function);
            Assert.Contains("xray:PutTraceSegments", xray);
            Assert.Contains("xray:PutTelemetryRecords", xray);
        }
        Assert.Null(app.HolidayJson["Conditions"]?["AdotCollectorLayerInRegion"]);
        Assert.Empty(Annotations.FromStack(app.HolidayStack).FindWarning("*", Match.AnyValue()));
    }

    [Fact]
    public void Functions_InARegionWithoutTheAdotLayer_GoWithoutTraceExport_AndSynthWarnsNamingTheKey()
    {
        var app = fixture.Synth(CdkFixture.SelfHosted, region: "af-south-1");

        Assert.All(Functions(app.HolidayJson).Values, f =>
        {
            Assert.Null(f.Value.Properties()["Layers"]);
            Assert.DoesNotContain(f.Value.Properties()["Environment"]!["Variables"]!.AsObject(), v => v.Key.StartsWith("OTEL_", StringComparison.Ordinal));
            Assert.Empty(XRayActions(app.HolidayJson, f.Value));
        });
        var warning = Assert.Single(Annotations.FromStack(app.HolidayStack).FindWarning("*", Match.StringLikeRegexp("no ADOT collector layer in af-south-1")));
        Assert.Contains("-c lambdaCollectorLayerArn=none", warning.Entry.Data?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Functions_WithoutAKnownRegion_LetCloudFormationUseTheLayerOnlyWhereAwsPublishesIt()
    {
        var template = App.HolidayJson;

        // One condition: the stack's region is one of the layer's regions.
        var condition = template["Conditions"]!["AdotCollectorLayerInRegion"]!;
        var regions = Leaves(condition).Where(v => v.Contains('-', StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        Assert.Equal(AdotCollectorLayer.Regions.Order(StringComparer.Ordinal), regions);
        Assert.All(Functions(template).Values, f =>
        {
            var properties = f.Value.Properties();
            var layers = properties["Layers"]!["Fn::If"]!.AsArray();
            Assert.Equal("AdotCollectorLayerInRegion", (string?)layers[0]);
            Assert.Contains(":901920570463:layer:aws-otel-collector-amd64-ver-0-117-0:1", layers[1]!.ToJsonString(), StringComparison.Ordinal);
            Assert.Equal("AWS::NoValue", (string?)layers[2]!["Ref"]);
            // Elsewhere the endpoint is empty, which turns the functions' tracing off.
            var endpoint = f.Value.Variable("OTEL_EXPORTER_OTLP_ENDPOINT")!["Fn::If"]!.AsArray();
            Assert.Equal(["AdotCollectorLayerInRegion", "http://localhost:4318", ""], endpoint.Select(e => (string?)e));
        });
        // The X-Ray rights come and go with the layer.
        var xrayPolicies = template.Resources("AWS::IAM::Policy").Values
            .Where(p => p.Properties()["PolicyDocument"]!.ToJsonString().Contains("xray:PutTraceSegments", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, xrayPolicies.Count);
        Assert.All(xrayPolicies, p => Assert.Equal("AdotCollectorLayerInRegion", (string?)p["Condition"]));
    }

    private static IEnumerable<string> Leaves(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => Leaves(p.Value)),
        JsonArray array => array.SelectMany(Leaves),
        JsonValue value when value.TryGetValue<string>(out var text) => [text],
        _ => [],
    };

    [Fact]
    public void CollectorLayerOfTheContext_WithoutAKnownRegion_IsCheckedAgainstTheStacksRegionByATemplateRule()
    {
        const string Layer = "arn:aws:lambda:eu-central-1:123456789012:layer:my-collector:7";

        var agnostic = fixture.Synth(new Dictionary<string, object> { ["lambdaCollectorLayerArn"] = Layer }).HolidayJson;
        var known = fixture.Synth(new Dictionary<string, object> { ["lambdaCollectorLayerArn"] = Layer }, region: "eu-central-1").HolidayJson;

        AssertRegionRule(agnostic, "CollectorLayerInStackRegion", "eu-central-1");
        Assert.Null(known["Rules"]?["CollectorLayerInStackRegion"]);
    }

    [Fact]
    public void CloudSecret_WithoutAKnownRegion_IsCheckedAgainstTheStacksRegionByATemplateRule()
    {
        AssertRegionRule(CloudApp.HolidayJson, "AuthTokenSecretInStackRegion", "eu-central-1");
        Assert.Null(fixture.Synth(CdkFixture.Cloud, region: "eu-central-1").HolidayJson["Rules"]?["AuthTokenSecretInStackRegion"]);
        Assert.Null(App.HolidayJson["Rules"]?["AuthTokenSecretInStackRegion"]);
    }

    private static void AssertRegionRule(JsonObject template, string ruleId, string region)
    {
        var assertion = Assert.Single(template["Rules"]![ruleId]!["Assertions"]!.AsArray())!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$"""{"Fn::Equals":[{"Ref":"AWS::Region"},"{{region}}"]}"""), assertion["Assert"]), assertion.ToJsonString());
        Assert.Contains("region the stack deploys to", (string?)assertion["AssertDescription"], StringComparison.Ordinal);
    }

    [Fact]
    public void Tables_HavePointInTimeRecovery_AndAreDisposableUnlessRetainDataKeepsThem()
    {
        var retained = fixture.Synth(new Dictionary<string, object> { ["retainData"] = "true" }).HolidayJson;

        foreach (var (template, policy) in new[] { (App.HolidayJson, "Delete"), (retained, "Retain") })
        {
            var tables = template.Resources("AWS::DynamoDB::Table").Values.ToList();
            Assert.Equal(4, tables.Count);
            Assert.All(tables, t =>
            {
                Assert.Equal(policy, (string?)t["DeletionPolicy"]);
                Assert.Equal(policy, (string?)t["UpdateReplacePolicy"]);
                Assert.True((bool)t.Properties()["PointInTimeRecoverySpecification"]!["PointInTimeRecoveryEnabled"]!);
            });
        }
    }

    [Fact]
    public void NotificationsQueue_HandsAMessageFailedFiveTimesToItsDeadLetterQueue()
    {
        var queue = App.HolidayJson.Resource(NotificationsQueueId(App.HolidayJson)).Properties();

        var redrive = queue["RedrivePolicy"]!;
        Assert.Equal(5, (int)redrive["maxReceiveCount"]!);
        var deadLetters = App.HolidayJson.Resource(redrive["deadLetterTargetArn"]!["Fn::GetAtt"]![0]!.GetValue<string>()).Properties();
        Assert.Equal(1_209_600, (int)deadLetters["MessageRetentionPeriod"]!);
        Assert.True((bool)deadLetters["SqsManagedSseEnabled"]!);
    }

    [Fact]
    public void Functions_UseTheCollectorLayerTheContextNames()
    {
        const string Layer = "arn:aws:lambda:eu-central-1:123456789012:layer:my-collector:7";
        var template = fixture.Synth(new Dictionary<string, object> { ["lambdaCollectorLayerArn"] = Layer }).HolidayJson;

        Assert.All(Functions(template).Values, f => Assert.Equal(Layer, (string?)Assert.Single(f.Value.Properties()["Layers"]!.AsArray())));
        Assert.Null(template["Conditions"]?["AdotCollectorLayerInRegion"]);
    }

    [Fact]
    public void Functions_WithCollectorLayerNone_HaveNoLayerNoOtlpExportAndNoXRayRights()
    {
        var template = fixture.Synth(new Dictionary<string, object> { ["lambdaCollectorLayerArn"] = "none" }).HolidayJson;

        var functions = Functions(template);
        Assert.Equal(4, functions.Count);
        Assert.All(functions.Values, f =>
        {
            Assert.Null(f.Value.Properties()["Layers"]);
            Assert.DoesNotContain(f.Value.Properties()["Environment"]!["Variables"]!.AsObject(), v => v.Key.StartsWith("OTEL_", StringComparison.Ordinal));
            Assert.Empty(XRayActions(template, f.Value));
        });
    }

    [Fact]
    public void LogGroups_KeepEventsAMonth_OrWhatLogRetentionDaysSays()
    {
        var week = fixture.Synth(new Dictionary<string, object> { ["logRetentionDays"] = "7" });
        foreach (var (app, days) in new[] { (App, 30), (CloudApp, 30), (week, 7) })
        {
            // The functions', the registrar's, the provider framework's and (self-hosted) restate-server's.
            var logGroups = app.HolidayJson.Resources("AWS::Logs::LogGroup").Concat(app.RestateJson.Resources("AWS::Logs::LogGroup")).ToList();
            Assert.True(logGroups.Count >= 6, $"{logGroups.Count} log groups");
            Assert.All(logGroups, group => Assert.Equal(days, (int)group.Value.Properties()["RetentionInDays"]!));
        }
    }

    /// <summary>The X-Ray actions the policies of <paramref name="function"/>'s role allow.</summary>
    private static List<string> XRayActions(JsonObject template, JsonObject function) =>
        [.. template.StatementsOfRole((string)function.Properties()["Role"]!["Fn::GetAtt"]![0]!)
            .SelectMany(s => s.Actions())
            .Where(a => a.StartsWith("xray:", StringComparison.Ordinal))];

    [Fact]
    public void Versions_AreRetainedSoInFlightInvocationsDrain()
    {
        var versions = App.HolidayJson.Resources("AWS::Lambda::Version");
        var functions = Functions(App.HolidayJson);

        Assert.Equal(4, versions.Count);
        Assert.Equal(functions.Values.Select(f => f.Key).Order(), versions.Values.Select(v => v.Properties()["FunctionName"].ReferencedIds().Single()).Order());
        App.Holiday.AllResources("AWS::Lambda::Version", Match.ObjectLike(Props(("DeletionPolicy", "Retain"), ("UpdateReplacePolicy", "Retain"))));
    }

    [Fact]
    public void FunctionCode_IsTheBootstrapFolderWithoutSymbolsDocsOrLock()
    {
        var function = Functions(App.HolidayJson)["trips"].Value;
        // The staged asset folder is named after the zip's hash: asset.<hash> for <hash>.zip.
        var assetHash = Path.GetFileNameWithoutExtension((string)function.Properties()["Code"]!["S3Key"]!);
        var assetPath = Path.Combine(App.OutputDirectory, $"asset.{assetHash}");

        var files = Directory.GetFiles(assetPath).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(["bootstrap", "libsodium.so"], files);
        // One asset for the four functions.
        Assert.Single(Functions(App.HolidayJson).Values.Select(f => (string)f.Value.Properties()["Code"]!["S3Key"]!).Distinct());
    }

    [Fact]
    public void FunctionRoles_MayUseOnlyTheirOwnTable_AndTripsSendToTheQueue()
    {
        var queueId = NotificationsQueueId(App.HolidayJson);

        foreach (var (service, (_, function)) in Functions(App.HolidayJson))
        {
            var roleId = (string)function.Properties()["Role"]!["Fn::GetAtt"]![0]!;
            var statements = App.HolidayJson.StatementsOfRole(roleId);
            var tableId = TableId(App.HolidayJson, TableOf[service]);

            // X-Ray has no resource-level permissions: its write actions are the only ones allowed on "*".
            static bool IsWildcard(JsonNode r) => r is JsonValue v && v.GetValue<string>().Contains('*', StringComparison.Ordinal);
            var wildcard = statements.Where(s => s.ResourceList().Any(IsWildcard)).ToList();
            Assert.All(wildcard, s => Assert.All(s.Actions(), a => Assert.StartsWith("xray:", a, StringComparison.Ordinal)));
            var resources = statements.Except(wildcard).SelectMany(s => s.ResourceList()).ToList();
            Assert.DoesNotContain(resources, IsWildcard);
            var referenced = resources.SelectMany(r => r.ReferencedIds()).ToHashSet();
            var expected = service == "trips" ? new[] { tableId, queueId } : [tableId];
            Assert.Equal(expected.Order(), referenced.Order());

            Assert.Contains(statements, s => s.Actions().Contains("dynamodb:PutItem") && s.Actions().Contains("dynamodb:UpdateItem"));
            Assert.Equal(service == "trips", statements.Any(s => s.Actions().Contains("sqs:SendMessage")));
        }
    }

    [Fact]
    public void InvokerRole_MayInvokeEveryVersionOfEachFunction()
    {
        var policy = App.HolidayJson.Resources("AWS::IAM::Policy").Values
            .Single(p => p.Properties()["Roles"]!.AsArray().Any(r => r!["Fn::ImportValue"] is not null)).Properties();
        var statement = Assert.Single(policy["PolicyDocument"]!["Statement"]!.AsArray())!.AsObject();

        Assert.Equal(["lambda:InvokeFunction"], statement.Actions());
        var resources = statement.ResourceList();
        Assert.Equal(Functions(App.HolidayJson).Values.Select(f => f.Key).Order(), resources.Select(r => r.ReferencedIds().Single()).Order());
        Assert.All(resources, r => Assert.EndsWith(""":*"]]}""", r.ToJsonString(), StringComparison.Ordinal));
        // Attached to RestateStack's invoker role, imported across stacks.
        var exportName = (string)policy["Roles"]![0]!["Fn::ImportValue"]!;
        Assert.StartsWith("RestateStack:", exportName, StringComparison.Ordinal);
    }

    [Fact]
    public void Registrations_OnePerFunctionVersion_WithTheAdminUrlVersionArnInvokerRoleAndExpectedServices()
    {
        var registrations = App.HolidayJson.Resources("Custom::RestateDeployment");
        var versions = App.HolidayJson.Resources("AWS::Lambda::Version");
        var frameworkId = FrameworkId(App.HolidayJson);
        var functionOfVersion = versions.ToDictionary(v => v.Key, v => v.Value.Properties()["FunctionName"].ReferencedIds().Single());
        var serviceOfFunction = Functions(App.HolidayJson).ToDictionary(f => f.Value.Key, f => f.Key);

        Assert.Equal(4, registrations.Count);
        Assert.Equal(versions.Keys.Order(), registrations.Values.Select(r => r.Properties()["DeploymentArn"]!["Ref"]!.GetValue<string>()).Order());
        foreach (var registration in registrations.Values.Select(r => r.Properties()))
        {
            // The provider framework's function is the service token, not the registrar.
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$"""{"Fn::GetAtt":["{{frameworkId}}","Arn"]}"""), registration["ServiceToken"]), registration["ServiceToken"]!.ToJsonString());
            var adminUrl = registration["AdminUrl"]!.ToJsonString();
            Assert.Contains("http://", adminUrl, StringComparison.Ordinal);
            Assert.Contains(":9070", adminUrl, StringComparison.Ordinal);
            Assert.NotNull(registration["AssumeRoleArn"]!["Fn::ImportValue"]);
            Assert.Null(registration["AuthTokenParameter"]);
            var service = serviceOfFunction[functionOfVersion[registration["DeploymentArn"]!["Ref"]!.GetValue<string>()]];
            // What the application binds in that function (the one list both use).
            Assert.Equal(string.Join(",", HolidayServices.ServicesOf[service]), (string?)registration["ExpectedServices"]);
            Assert.Equal(
                ["AdminUrl", "AssumeRoleArn", "DeploymentArn", "ExpectedServices", "ServiceTimeout", "ServiceToken"],
                registration.Select(p => p.Key).Order(StringComparer.Ordinal));
        }

        // The same invoker role that RestateStack outputs.
        var invokerExport = (string)registrations.Values.First().Properties()["AssumeRoleArn"]!["Fn::ImportValue"]!;
        var invokerRoleId = (string)App.RestateJson["Outputs"]!["InvokerRoleArn"]!["Value"]!["Fn::GetAtt"]![0]!;
        var export = App.RestateJson["Outputs"]!.AsObject().Single(o => (string?)o.Value!["Export"]?["Name"] == invokerExport).Value!;
        Assert.Equal([invokerRoleId], export["Value"].ReferencedIds());
    }

    [Fact]
    public void Registration_DependsOnItsVersionAndOnTheInvokePermission()
    {
        var invokePolicyId = App.HolidayJson.Resources("AWS::IAM::Policy")
            .Single(p => p.Value.Properties()["Roles"]!.AsArray().Any(r => r!["Fn::ImportValue"] is not null)).Key;

        foreach (var registration in App.HolidayJson.Resources("Custom::RestateDeployment").Values)
        {
            var versionId = registration.Properties()["DeploymentArn"]!["Ref"]!.GetValue<string>();
            Assert.Contains(versionId, registration.DependsOn());
            Assert.Contains(invokePolicyId, registration.DependsOn());
        }
    }

    [Fact]
    public void NewCode_PublishesNewVersionsAndUpdatesTheSameRegistrations()
    {
        var before = App.HolidayJson;
        var otherLambda = TestAssets.CreateLambdaFolder(Path.Combine(fixture.Root, "lambda-v2"), bootstrapContent: "lambda v2");
        var after = fixture.SynthUncached(new Dictionary<string, object> { ["lambdaAssetPath"] = otherLambda }).HolidayJson;

        // A version is a new resource (the old one is retained), while the registration keeps its logical id:
        // CloudFormation sends it an Update with the new DeploymentArn, and the registrar registers the new version.
        Assert.Empty(before.Resources("AWS::Lambda::Version").Keys.Intersect(after.Resources("AWS::Lambda::Version").Keys));
        Assert.Equal(before.Resources("Custom::RestateDeployment").Keys.Order(), after.Resources("Custom::RestateDeployment").Keys.Order());
        foreach (var (id, registration) in after.Resources("Custom::RestateDeployment"))
        {
            var newVersion = registration.Properties()["DeploymentArn"]!["Ref"]!.GetValue<string>();
            Assert.Contains(newVersion, after.Resources("AWS::Lambda::Version").Keys);
            Assert.NotEqual(before.Resource(id).Properties()["DeploymentArn"]!["Ref"]!.GetValue<string>(), newVersion);
        }
    }

    [Fact]
    public void ProviderFramework_InvokesTheRegistrar_RunsOutsideAnyVpc_AndKeepsItsLogsAMonth()
    {
        foreach (var template in new[] { App.HolidayJson, CloudApp.HolidayJson })
        {
            var registrarId = RegistrarId(template);
            var frameworkFunction = template.Resource(FrameworkId(template));
            var framework = frameworkFunction.Properties();

            // The framework calls the registrar as its onEvent handler...
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$"""{"Fn::GetAtt":["{{registrarId}}","Arn"]}"""), frameworkFunction.Variable("USER_ON_EVENT_FUNCTION_ARN")));
            var frameworkRoleId = (string)framework["Role"]!["Fn::GetAtt"]![0]!;
            var invoke = Assert.Single(template.StatementsOfRole(frameworkRoleId), s => s.Actions().Contains("lambda:InvokeFunction"));
            Assert.All(invoke.ResourceList(), r => Assert.Equal([registrarId], r.ReferencedIds()));
            // ...from outside the VPC (it only invokes Lambda and answers CloudFormation's S3 URL), with a month of logs.
            Assert.Null(framework["VpcConfig"]);
            var logGroupId = Assert.Single(framework["LoggingConfig"]!["LogGroup"].ReferencedIds());
            Assert.Equal(30, (int)template.Resource(logGroupId).Properties()["RetentionInDays"]!);
            // No legacy LogRetention custom resource (another Node.js function) comes with it.
            Assert.Empty(template.Resources("Custom::LogRetention"));
        }
    }

    [Fact]
    public void Registrar_SelfHosted_RunsInTheRestateVpcWithoutSecretAccess()
    {
        var registrarId = RegistrarId(App.HolidayJson);
        var registrar = App.HolidayJson.Resource(registrarId).Properties();

        Assert.Equal("provided.al2023", (string?)registrar["Runtime"]);
        Assert.Equal("x86_64", (string?)registrar["Architectures"]![0]);
        var subnets = registrar["VpcConfig"]!["SubnetIds"]!.AsArray();
        Assert.Equal(2, subnets.Count);
        Assert.All(subnets, s => Assert.Contains("RestateVpcPrivateSubnet", s!["Fn::ImportValue"]!.GetValue<string>(), StringComparison.Ordinal));

        var roleId = (string)registrar["Role"]!["Fn::GetAtt"]![0]!;
        Assert.DoesNotContain(App.HolidayJson.StatementsOfRole(roleId), s => s.Actions().Any(a => a.StartsWith("ssm:", StringComparison.Ordinal) || a.StartsWith("secretsmanager:", StringComparison.Ordinal)));
    }

    [Fact]
    public void Registrar_Cloud_RunsOutsideAnyVpcAndReadsTheApiKeyThroughParameterStore()
    {
        var template = CloudApp.HolidayJson;
        var registrarId = RegistrarId(template);
        var registrar = template.Resource(registrarId).Properties();
        const string Parameter = "/aws/reference/secretsmanager/" + CdkFixture.AuthTokenSecretName;

        Assert.Null(registrar["VpcConfig"]);
        Assert.Empty(template.Resources("AWS::EC2::SecurityGroup"));
        var registrations = template.Resources("Custom::RestateDeployment").Values.Select(r => r.Properties()).ToList();
        Assert.Equal(4, registrations.Count);
        Assert.All(registrations, r =>
        {
            Assert.Equal("https://201kb7y8wxs1nk6t81wyx88dn2q.env.eu.restate.cloud:9070", (string?)r["AdminUrl"]);
            Assert.Equal(Parameter, (string?)r["AuthTokenParameter"]);
            Assert.NotNull(r["AssumeRoleArn"]!["Fn::ImportValue"]);
        });

        var statements = template.StatementsOfRole((string)registrar["Role"]!["Fn::GetAtt"]![0]!);
        var getParameter = Assert.Single(statements, s => s.Actions().Contains("ssm:GetParameter"));
        Assert.EndsWith($":parameter{Parameter}\"]]}}", Assert.Single(getParameter.ResourceList()).ToJsonString(), StringComparison.Ordinal);
        var getSecret = Assert.Single(statements, s => s.Actions().Contains("secretsmanager:GetSecretValue"));
        Assert.Equal(CdkFixture.AuthTokenSecretArn, (string?)Assert.Single(getSecret.ResourceList()));
    }

    [Fact]
    public void Cloud_InvokerRoleMayInvokeEachFunction()
    {
        var invoke = Match.ObjectLike(Props(("Action", "lambda:InvokeFunction"), ("Effect", "Allow")));
        var document = Match.ObjectLike(Props(("Statement", new object[] { invoke })));

        CloudApp.Holiday.HasResourceProperties("AWS::IAM::Policy", Match.ObjectLike(Props(("PolicyDocument", document))));
    }

    public static TheoryData<string, string?> Modes => new()
    {
        { "self-hosted", null },
        { "self-hosted", "demo" },
        { "cloud", null },
        { "cloud", "demo" },
    };

    [Theory]
    [MemberData(nameof(Modes))]
    public void Outputs_AreEveryTableTheQueueAndTheLogGroupsToTail(string mode, string? prefix)
    {
        var overrides = new Dictionary<string, object>(mode == "cloud" ? CdkFixture.Cloud : CdkFixture.SelfHosted);
        if (prefix is not null)
        {
            overrides["prefix"] = prefix;
        }
        var template = fixture.Synth(overrides).HolidayJson;
        var outputs = template["Outputs"]!.AsObject();

        foreach (var table in new[] { "Flights", "Cars", "Payments", "Trips" })
        {
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$"""{"Ref":"{{TableId(template, table)}}"}"""), outputs[$"{table}TableName"]!["Value"]), table);
        }
        var queueId = NotificationsQueueId(template);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$"""{"Ref":"{{queueId}}"}"""), outputs["NotificationsQueueUrl"]!["Value"]));
        var deadLetters = template.Resource(queueId).Properties()["RedrivePolicy"]!["deadLetterTargetArn"]!["Fn::GetAtt"]![0]!.GetValue<string>();
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$"""{"Ref":"{{deadLetters}}"}"""), outputs["NotificationsDeadLetterQueueUrl"]!["Value"]));
        foreach (var (service, (_, function)) in Functions(template))
        {
            var logGroupId = Assert.Single(function.Properties()["LoggingConfig"]!["LogGroup"].ReferencedIds());
            var name = char.ToUpperInvariant(service[0]) + service[1..];
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$"""{"Ref":"{{logGroupId}}"}"""), outputs[$"{name}FunctionLogGroupName"]!["Value"]), service);
        }
        // restate-server's log group, when it runs in this account.
        var restateLogGroup = (string?)outputs["RestateLogGroupName"]?["Value"];
        Assert.Equal(mode == "cloud" ? null : prefix is null ? "/restate/restate" : $"/restate/{prefix}/restate", restateLogGroup);
        Assert.Equal(mode == "cloud" ? 10 : 11, outputs.Count);
    }
}

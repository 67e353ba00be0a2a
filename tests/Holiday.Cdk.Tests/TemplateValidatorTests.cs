using System.Text.Json.Nodes;

namespace Holiday.Cdk.Tests;

/// <summary>
/// The validators themselves, on small templates written here: each one fails a template it should fail, names the
/// rule and the logical id, and a validator that cannot run throws instead of reporting nothing. Also the matching
/// rules of the acknowledgement list.
/// </summary>
public sealed class TemplateValidatorTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("holiday-validators-").FullName;

    /// <summary>A table without point-in-time recovery and a bucket without encryption, logging or TLS-only policy.</summary>
    private static readonly JsonObject Unprotected = new()
    {
        ["Resources"] = new JsonObject
        {
            ["Table"] = new JsonObject
            {
                ["Type"] = "AWS::DynamoDB::Table",
                ["Properties"] = new JsonObject
                {
                    ["KeySchema"] = new JsonArray(new JsonObject { ["AttributeName"] = "pk", ["KeyType"] = "HASH" }),
                    ["AttributeDefinitions"] = new JsonArray(new JsonObject { ["AttributeName"] = "pk", ["AttributeType"] = "S" }),
                    ["BillingMode"] = "PAY_PER_REQUEST",
                },
            },
            ["Bucket"] = new JsonObject { ["Type"] = "AWS::S3::Bucket" },
        },
    };

    [Fact]
    public async Task CfnGuard_UnprotectedTableAndBucket_ReportsPointInTimeRecoveryAndEncryption()
    {
        var template = Write("Unprotected", Unprotected);

        var findings = await TemplateValidators.RunAsync(TemplateValidators.CfnGuard, [template]);

        Assert.Contains(findings, f => f is { Rule: "CT.DYNAMODB.PR.1", Resource: "Table", Template: "Unprotected" });
        Assert.Contains(findings, f => f is { Rule: "CT.S3.PR.10", Resource: "Bucket" } && f.Message.Contains("encryption", StringComparison.Ordinal));
        Assert.All(findings, f => Assert.True(f.Resource is "Table" or "Bucket", f.ToString()));
    }

    [Fact]
    public async Task CdkNag_UnprotectedTableAndBucket_ReportsWarningsAndErrors()
    {
        var template = Write("Unprotected", Unprotected);

        var findings = await TemplateValidators.RunAsync(TemplateValidators.CdkNag, [template]);

        var pitr = Assert.Single(findings, f => f.Rule == "AwsSolutions-DDB3");
        Assert.Equal(("Table", "Unprotected"), (pitr.Resource, pitr.Template));
        Assert.StartsWith("warning: ", pitr.Message, StringComparison.Ordinal);
        var tls = Assert.Single(findings, f => f.Rule == "AwsSolutions-S10");
        Assert.Equal("Bucket", tls.Resource);
        Assert.StartsWith("error: ", tls.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CdkNag_CdkBookkeeping_IsNotIncluded()
    {
        var template = Unprotected.DeepClone().AsObject();
        template["Parameters"] = new JsonObject { ["BootstrapVersion"] = new JsonObject { ["Type"] = "AWS::SSM::Parameter::Value<String>", ["Default"] = "/cdk-bootstrap/hnb659fds/version" } };
        template["Rules"] = new JsonObject { ["CheckBootstrapVersion"] = new JsonObject { ["Assertions"] = new JsonArray() } };
        template["Resources"]!["CDKMetadata"] = new JsonObject { ["Type"] = "AWS::CDK::Metadata", ["Properties"] = new JsonObject { ["Analytics"] = "v2:deflate64:x" } };

        var findings = await TemplateValidators.RunAsync(TemplateValidators.CdkNag, [Write("WithBookkeeping", template)]);

        Assert.Contains(findings, f => f.Rule == "AwsSolutions-DDB3");
        Assert.DoesNotContain(findings, f => f.Resource == "CDKMetadata");
    }

    [Fact]
    public async Task Schema_BrokenResources_ReportsEachMistakeOnItsResource()
    {
        var template = JsonNode.Parse("""
            {
              "Conditions": { "Always": { "Fn::Equals": ["a", "a"] } },
              "Resources": {
                "UnknownProperty": { "Type": "AWS::SQS::Queue", "Properties": { "QueueNam": "typo" } },
                "MissingRequired": { "Type": "AWS::SQS::QueuePolicy", "Properties": { "PolicyDocument": {} } },
                "WrongType": { "Type": "AWS::Logs::LogGroup", "Properties": { "RetentionInDays": "thirty" } },
                "WrongNestedType": { "Type": "AWS::SQS::Queue", "Properties": { "Tags": [{ "Key": "team", "Value": 7 }] } },
                "UnknownType": { "Type": "AWS::SQS::Queues" },
                "BadGetAtt": { "Type": "AWS::SQS::Queue", "Properties": { "QueueName": { "Fn::GetAtt": ["Fine", "Nope"] } } },
                "GetAttOfNothing": { "Type": "AWS::SQS::Queue", "Properties": { "QueueName": { "Fn::GetAtt": "Nobody.Arn" } } },
                "CustomWithoutToken": { "Type": "Custom::Thing", "Properties": { "Anything": [1, { "goes": true }] } },
                "Fine": {
                  "Type": "AWS::SQS::Queue",
                  "Properties": {
                    "DelaySeconds": { "Fn::If": ["Always", 5, { "Ref": "AWS::NoValue" }] },
                    "RedrivePolicy": { "deadLetterTargetArn": { "Fn::GetAtt": ["UnknownProperty", "Arn"] }, "maxReceiveCount": 3 },
                    "Tags": [{ "Key": "region", "Value": { "Ref": "AWS::Region" } }]
                  }
                },
                "FineCustom": { "Type": "Custom::Thing", "Properties": { "ServiceToken": { "Fn::GetAtt": ["Fine", "Arn"] }, "Free": { "Form": 1 } } },
                "Metadata": { "Type": "AWS::CDK::Metadata", "Properties": { "Analytics": "x" } }
              },
              "Outputs": { "QueueUrl": { "Value": { "Fn::GetAtt": ["Fine", "QueueUrl"] } } }
            }
            """)!.AsObject();

        var findings = await TemplateValidators.RunAsync(TemplateValidators.Schema, [Write("Broken", template)]);

        Assert.Equal(
            [
                ("missing-required-property", "CustomWithoutToken"),
                ("missing-required-property", "MissingRequired"),
                ("unknown-getatt-attribute", "BadGetAtt"),
                ("unknown-getatt-resource", "GetAttOfNothing"),
                ("unknown-property", "UnknownProperty"),
                ("unknown-resource-type", "UnknownType"),
                ("wrong-type", "WrongNestedType"),
                ("wrong-type", "WrongType"),
            ],
            findings.Select(f => (f.Rule, f.Resource)).Order());
        Assert.All(findings, f => Assert.Equal("Broken", f.Template));
        Assert.Contains("Properties.QueueNam", Assert.Single(findings, f => f.Rule == "unknown-property").Message, StringComparison.Ordinal);
        Assert.Contains("Properties.Queues is required", Assert.Single(findings, f => f.Resource == "MissingRequired").Message, StringComparison.Ordinal);
        Assert.Contains("Properties.Tags[0].Value: expected string, found number", Assert.Single(findings, f => f.Resource == "WrongNestedType").Message, StringComparison.Ordinal);
        Assert.Contains("AWS::SQS::Queue has no attribute Nope", Assert.Single(findings, f => f.Resource == "BadGetAtt").Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TemplateValidators.CfnGuard)]
    [InlineData(TemplateValidators.CdkNag)]
    [InlineData(TemplateValidators.Schema)]
    public async Task RunAsync_UnreadableTemplate_Throws(string validator)
    {
        var readable = Write("Unprotected", Unprotected);
        var missing = Path.Combine(_root, "Missing.template.json");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TemplateValidators.RunAsync(validator, [readable, missing]));

        Assert.Contains($"The {validator} validator failed with exit code 2", error.Message, StringComparison.Ordinal);
        Assert.Contains($"cannot read template {missing}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_TemplateCdkNagCannotInclude_Throws()
    {
        // cloudformation-include refuses a resource without its required properties: that is a crash, not a pass.
        var template = new JsonObject { ["Resources"] = new JsonObject { ["Policy"] = new JsonObject { ["Type"] = "AWS::SQS::QueuePolicy", ["Properties"] = new JsonObject() } } };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TemplateValidators.RunAsync(TemplateValidators.CdkNag, [Write("Uninclusable", template)]));

        Assert.Contains("missing required property", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NotJson_Throws()
    {
        var path = Path.Combine(_root, "Garbage.template.json");
        await File.WriteAllTextAsync(path, "Resources: {");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TemplateValidators.RunAsync(TemplateValidators.CfnGuard, [path]));

        Assert.Contains($"template {path} is not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_TimeLimitPasses_KillsTheValidatorAndThrows()
    {
        // Loading aws-cdk-lib alone takes far longer than this.
        var limit = TimeSpan.FromMilliseconds(50);

        var error = await Assert.ThrowsAsync<TimeoutException>(() => TemplateValidators.RunAsync(TemplateValidators.CdkNag, [Write("Unprotected", Unprotected)], limit));

        Assert.StartsWith("The cdk-nag validator did not finish within 00:00:00.0500000 over 1 templates", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NoTemplates_Throws()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TemplateValidators.RunAsync(TemplateValidators.Schema, []));

        Assert.Contains("usage: node <validator>.mjs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Matches_ResourcePattern_IsAnchoredAtBothEnds()
    {
        var entry = new Acknowledgement("schema", "wrong-type", "Queue[0-9A-F]{8}", "test");

        Assert.True(entry.Matches(Finding("Queue1234ABCD")));
        Assert.False(entry.Matches(Finding("DeadQueue1234ABCD")));
        Assert.False(entry.Matches(Finding("Queue1234ABCDPolicy")));
        Assert.False(entry.Matches(Finding("Queue1234ABCD") with { Rule = "wrong-type-2" }));
        Assert.False(entry.Matches(Finding("Queue1234ABCD") with { Validator = "cdk-nag" }));
    }

    [Fact]
    public void Matches_Templates_LimitsTheEntryToTheListedStacks()
    {
        var entry = new Acknowledgement("schema", "wrong-type", "Queue", "test", ["HolidayStack", "demo-HolidayStack"]);

        Assert.True(entry.Matches(Finding("Queue")));
        Assert.True(entry.Matches(Finding("Queue") with { Template = "demo-HolidayStack" }));
        Assert.False(entry.Matches(Finding("Queue") with { Template = "RestateStack" }));
    }

    [Fact]
    public void UnacknowledgedAndStale_MixedList_SplitsFindingsAndEntries()
    {
        var used = new Acknowledgement("schema", "wrong-type", "Queue", "test");
        var unused = new Acknowledgement("schema", "unknown-property", "Queue", "test");
        var acknowledgements = new Acknowledgements([used, unused]);
        ValidatorFinding[] findings = [Finding("Queue"), Finding("Table")];

        Assert.Equal([findings[1]], acknowledgements.Unacknowledged(findings));
        Assert.Equal([unused], acknowledgements.Stale(findings));
    }

    [Theory]
    [InlineData("""{ "validator": "schema", "rule": "wrong-type", "resource": "Queue", "reason": " " }""", "the reason is required")]
    [InlineData("""{ "validator": "cfn-lint", "rule": "E3002", "resource": "Queue", "reason": "r" }""", "unknown validator")]
    [InlineData("""{ "validator": "schema", "rule": "wrong-type", "resource": "Queue(", "reason": "r" }""", "not a valid regex")]
    [InlineData("""{ "validator": "schema", "rule": "wrong-type", "resource": "Queue", "reason": "r", "templates": [] }""", "empty template list")]
    [InlineData("""{ "validator": "schema", "rule": "wrong-type", "resource": "Queue" }""", "reason")]
    [InlineData("""{ "validator": "schema", "rule": "wrong-type", "resource": "Queue", "reason": "r", "why": "typo" }""", "why")]
    public void Load_MalformedEntry_Throws(string entry, string expected)
    {
        var path = Path.Combine(_root, "acknowledged.json");
        File.WriteAllText(path, $$"""{ "description": "test", "acknowledgements": [{{entry}}] }""");

        var error = Record.Exception(() => Acknowledgements.Load(path));

        Assert.NotNull(error);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RepositoryList_EveryEntryIsWellFormed()
    {
        var acknowledgements = Acknowledgements.Load();

        Assert.NotEmpty(acknowledgements.Entries);
        Assert.All(acknowledgements.Entries, e => Assert.True(e.Reason.Length >= 40, $"{e}: say why the finding is acceptable"));
    }

    private static ValidatorFinding Finding(string resource) =>
        new("schema", "wrong-type", "HolidayStack", resource, "message", "/tmp/HolidayStack.template.json");

    private string Write(string stackName, JsonObject template)
    {
        var path = Path.Combine(_root, $"{stackName}.template.json");
        File.WriteAllText(path, template.ToJsonString());
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}

using System.Text;
using System.Text.Json.Nodes;

namespace Holiday.Registrar.Tests;

/// <summary>
/// The events CDK's custom-resource provider framework invokes its onEvent handler with: CloudFormation's request,
/// passed on (with the pre-signed ResponseURL, which the handler must leave to the framework).
/// </summary>
internal static class CustomResourceEvents
{
    public const string StackId = "arn:aws:cloudformation:us-east-1:123456789012:stack/holiday/6a3e2b10-0000-11ef-8a2b-0a1b2c3d4e5f";
    public const string ServiceToken = "arn:aws:lambda:us-east-1:123456789012:function:HolidayStack-RestateRegistrarProviderframeworkon-AbC";

    /// <summary>Where CloudFormation waits for the framework's answer; nothing listens there, the handler must not call it.</summary>
    public const string ResponseUrl = "http://127.0.0.1:9/cloudformation-custom-resource-response-useast1/never-called?X-Amz-Signature=ab%2Fcd";

    public static JsonObject Properties(Uri adminUrl, string deploymentArn, string? expectedServices = null)
    {
        var properties = new JsonObject
        {
            ["ServiceToken"] = ServiceToken,
            ["AdminUrl"] = adminUrl.ToString(),
            ["DeploymentArn"] = deploymentArn,
        };
        if (expectedServices is not null)
        {
            properties["ExpectedServices"] = expectedServices;
        }
        return properties;
    }

    public static JsonObject Create(JsonObject properties, string logicalId = "TripsRegistration") => new()
    {
        ["RequestType"] = "Create",
        ["ServiceToken"] = ServiceToken,
        ["ResponseURL"] = ResponseUrl,
        ["StackId"] = StackId,
        ["RequestId"] = Guid.NewGuid().ToString(),
        ["LogicalResourceId"] = logicalId,
        ["ResourceType"] = "Custom::RestateDeployment",
        ["ResourceProperties"] = properties,
    };

    public static JsonObject Update(string physicalId, JsonObject properties, JsonObject oldProperties)
    {
        var update = Create(properties);
        update["RequestType"] = "Update";
        update["PhysicalResourceId"] = physicalId;
        update["OldResourceProperties"] = oldProperties;
        return update;
    }

    public static JsonObject Delete(string physicalId, JsonObject properties)
    {
        var delete = Create(properties);
        delete["RequestType"] = "Delete";
        delete["PhysicalResourceId"] = physicalId;
        return delete;
    }

    public static byte[] Bytes(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());
}

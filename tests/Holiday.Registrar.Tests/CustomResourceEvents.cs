using System.Text;
using System.Text.Json.Nodes;

namespace Holiday.Registrar.Tests;

/// <summary>CloudFormation custom resource events, as CloudFormation sends them to the handler Lambda.</summary>
internal static class CustomResourceEvents
{
    public const string StackId = "arn:aws:cloudformation:us-east-1:123456789012:stack/holiday/6a3e2b10-0000-11ef-8a2b-0a1b2c3d4e5f";
    public const string ServiceToken = "arn:aws:lambda:us-east-1:123456789012:function:holiday-registrar";

    public static JsonObject Properties(Uri adminUrl, string deploymentArn) => new()
    {
        ["ServiceToken"] = ServiceToken,
        ["AdminUrl"] = adminUrl.ToString(),
        ["DeploymentArn"] = deploymentArn,
    };

    public static JsonObject Create(Uri responseUrl, JsonObject properties, string logicalId = "TripsRegistration") => new()
    {
        ["RequestType"] = "Create",
        ["ServiceToken"] = ServiceToken,
        ["ResponseURL"] = responseUrl.ToString(),
        ["StackId"] = StackId,
        ["RequestId"] = Guid.NewGuid().ToString(),
        ["LogicalResourceId"] = logicalId,
        ["ResourceType"] = "Custom::RestateDeployment",
        ["ResourceProperties"] = properties,
    };

    public static JsonObject Update(Uri responseUrl, string physicalId, JsonObject properties, JsonObject oldProperties)
    {
        var update = Create(responseUrl, properties);
        update["RequestType"] = "Update";
        update["PhysicalResourceId"] = physicalId;
        update["OldResourceProperties"] = oldProperties;
        return update;
    }

    public static JsonObject Delete(Uri responseUrl, string physicalId, JsonObject properties)
    {
        var delete = Create(responseUrl, properties);
        delete["RequestType"] = "Delete";
        delete["PhysicalResourceId"] = physicalId;
        return delete;
    }

    public static byte[] Bytes(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());
}

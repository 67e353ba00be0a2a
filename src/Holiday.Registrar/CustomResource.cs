using System.Text.Json;
using System.Text.Json.Serialization;

namespace Holiday.Registrar;

/// <summary>
/// The event CDK's custom-resource provider framework (<c>Amazon.CDK.CustomResources.Provider</c>) invokes its
/// <c>onEvent</c> handler with: CloudFormation's request, passed on. The framework answers CloudFormation itself, so
/// the <c>ResponseURL</c> the event also carries is ignored. Every field is optional here, so that a malformed event
/// still parses and fails with a message that names what is wrong.
/// </summary>
internal sealed class CustomResourceEvent
{
    /// <summary><c>Create</c>, <c>Update</c> or <c>Delete</c>.</summary>
    public string? RequestType { get; init; }

    /// <summary>The stack's ARN.</summary>
    public string? StackId { get; init; }

    /// <summary>The request's id.</summary>
    public string? RequestId { get; init; }

    /// <summary>The template's resource type, e.g. <c>Custom::RestateDeployment</c>.</summary>
    public string? ResourceType { get; init; }

    /// <summary>The resource's logical id in the template.</summary>
    public string? LogicalResourceId { get; init; }

    /// <summary>The id the last successful answer gave (Update and Delete only).</summary>
    public string? PhysicalResourceId { get; init; }

    /// <summary>The resource's properties. CloudFormation sends every value as a string (plus <c>ServiceToken</c>).</summary>
    public Dictionary<string, JsonElement>? ResourceProperties { get; init; }

    /// <summary>The properties before the update (Update only).</summary>
    public Dictionary<string, JsonElement>? OldResourceProperties { get; init; }
}

/// <summary>
/// What the <c>onEvent</c> handler returns to the provider framework, which turns it into CloudFormation's SUCCESS
/// answer. A failure is not a document but a Lambda function error, whose <c>errorMessage</c> the framework reports
/// as the FAILED reason.
/// </summary>
internal sealed record ProviderResponse
{
    /// <summary>The resource's id: a different one on Update makes CloudFormation delete the old resource afterwards.</summary>
    public required string PhysicalResourceId { get; init; }

    /// <summary>Attributes for <c>Fn::GetAtt</c>.</summary>
    public Dictionary<string, string>? Data { get; init; }
}

/// <summary>The body of Restate's admin <c>POST /deployments</c> for a Lambda deployment.</summary>
internal sealed class RegisterDeploymentRequest
{
    /// <summary>The qualified function ARN.</summary>
    [JsonPropertyName("arn")]
    public required string Arn { get; init; }

    /// <summary>The role Restate assumes to invoke the function; omitted when null.</summary>
    [JsonPropertyName("assume_role_arn")]
    public string? AssumeRoleArn { get; init; }

    /// <summary>Whether to override an existing deployment of the same ARN (never, here).</summary>
    [JsonPropertyName("force")]
    public bool Force { get; init; }
}

/// <summary>A service as Restate's admin API lists it (only its name is read).</summary>
internal sealed class RestateServiceInfo
{
    /// <summary>The service name, e.g. <c>trips</c>.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }
}

/// <summary>What the registrar reads from Restate's <c>POST /deployments</c> answer.</summary>
internal sealed class RegisterDeploymentResponse
{
    /// <summary>The deployment id, <c>dp_…</c>.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    /// <summary>The services the deployment exposes, as discovery found them.</summary>
    [JsonPropertyName("services")]
    public List<RestateServiceInfo>? Services { get; init; }
}

/// <summary>One entry of Restate's admin <c>GET /deployments</c> (HTTP deployments have a <c>uri</c> and no <c>arn</c>).</summary>
internal sealed class DeploymentInfo
{
    /// <summary>The deployment id, <c>dp_…</c>.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    /// <summary>The qualified function ARN of a Lambda deployment.</summary>
    [JsonPropertyName("arn")]
    public string? Arn { get; init; }
}

/// <summary>Restate's admin <c>GET /deployments</c> answer.</summary>
internal sealed class ListDeploymentsResponse
{
    /// <summary>Every registered deployment.</summary>
    [JsonPropertyName("deployments")]
    public List<DeploymentInfo>? Deployments { get; init; }
}

/// <summary>The body of Restate's admin <c>POST /query</c> (SQL over the introspection tables).</summary>
internal sealed class QueryRequest
{
    /// <summary>The SQL text.</summary>
    [JsonPropertyName("query")]
    public required string Query { get; init; }
}

/// <summary>One row of the in-flight query: an invocation and its status.</summary>
internal sealed class InvocationRow
{
    /// <summary>The invocation id, <c>inv_…</c>.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    /// <summary>Its status: <c>pending</c>, <c>scheduled</c>, <c>ready</c>, <c>running</c>, <c>backing-off</c>, <c>suspended</c>, <c>paused</c> or <c>completed</c>.</summary>
    [JsonPropertyName("status")]
    public string? Status { get; init; }
}

/// <summary>Restate's admin <c>POST /query</c> answer (with <c>Accept: application/json</c>).</summary>
internal sealed class InvocationQueryResponse
{
    /// <summary>The rows.</summary>
    [JsonPropertyName("rows")]
    public List<InvocationRow>? Rows { get; init; }
}

/// <summary>Restate's admin error body.</summary>
internal sealed class RestateErrorResponse
{
    /// <summary>The error message.</summary>
    [JsonPropertyName("message")]
    public string? Message { get; init; }
}

/// <summary>Source-generated JSON for every payload the registrar reads or writes: no reflection, so Native AOT works.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CustomResourceEvent))]
[JsonSerializable(typeof(ProviderResponse))]
[JsonSerializable(typeof(RegisterDeploymentRequest))]
[JsonSerializable(typeof(RegisterDeploymentResponse))]
[JsonSerializable(typeof(ListDeploymentsResponse))]
[JsonSerializable(typeof(QueryRequest))]
[JsonSerializable(typeof(InvocationQueryResponse))]
[JsonSerializable(typeof(RestateErrorResponse))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
internal sealed partial class RegistrarJsonContext : JsonSerializerContext;

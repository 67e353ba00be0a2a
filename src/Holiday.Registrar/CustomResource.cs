using System.Text.Json;
using System.Text.Json.Serialization;

namespace Holiday.Registrar;

/// <summary>
/// The event CloudFormation sends a custom resource's Lambda. Every field is optional here, so that a malformed event
/// still parses and is answered with a FAILED response that names what is wrong.
/// </summary>
internal sealed class CustomResourceEvent
{
    /// <summary><c>Create</c>, <c>Update</c> or <c>Delete</c>.</summary>
    public string? RequestType { get; init; }

    /// <summary>The pre-signed S3 URL the result must be PUT to.</summary>
    [JsonPropertyName("ResponseURL")]
    public string? ResponseUrl { get; init; }

    /// <summary>The stack's ARN; echoed in the response.</summary>
    public string? StackId { get; init; }

    /// <summary>The request's id; echoed in the response.</summary>
    public string? RequestId { get; init; }

    /// <summary>The template's resource type, e.g. <c>Custom::RestateDeployment</c>.</summary>
    public string? ResourceType { get; init; }

    /// <summary>The resource's logical id in the template; echoed in the response.</summary>
    public string? LogicalResourceId { get; init; }

    /// <summary>The id the last successful response gave (Update and Delete only).</summary>
    public string? PhysicalResourceId { get; init; }

    /// <summary>The resource's properties. CloudFormation sends every value as a string (plus <c>ServiceToken</c>).</summary>
    public Dictionary<string, JsonElement>? ResourceProperties { get; init; }

    /// <summary>The properties before the update (Update only).</summary>
    public Dictionary<string, JsonElement>? OldResourceProperties { get; init; }
}

/// <summary>The JSON document PUT to <see cref="CustomResourceEvent.ResponseUrl"/>.</summary>
internal sealed record CustomResourceResponse
{
    /// <summary>The status CloudFormation expects for success.</summary>
    public const string Success = "SUCCESS";

    /// <summary>The status CloudFormation expects for failure.</summary>
    public const string Failed = "FAILED";

    /// <summary><see cref="Success"/> or <see cref="Failed"/>.</summary>
    public required string Status { get; init; }

    /// <summary>Why it failed (required for FAILED); shown in the stack events.</summary>
    public string? Reason { get; init; }

    /// <summary>The resource's id: a different one on Update makes CloudFormation delete the old resource.</summary>
    public required string PhysicalResourceId { get; init; }

    /// <summary>Copied from the event.</summary>
    public string? StackId { get; init; }

    /// <summary>Copied from the event.</summary>
    public string? RequestId { get; init; }

    /// <summary>Copied from the event.</summary>
    public string? LogicalResourceId { get; init; }

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

/// <summary>What the registrar reads from Restate's <c>POST /deployments</c> answer.</summary>
internal sealed class RegisterDeploymentResponse
{
    /// <summary>The deployment id, <c>dp_…</c>.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; init; }
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
[JsonSerializable(typeof(CustomResourceResponse))]
[JsonSerializable(typeof(RegisterDeploymentRequest))]
[JsonSerializable(typeof(RegisterDeploymentResponse))]
[JsonSerializable(typeof(RestateErrorResponse))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
internal sealed partial class RegistrarJsonContext : JsonSerializerContext;

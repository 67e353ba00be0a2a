using System.Text.Json.Serialization;

namespace Restate.Sdk.Lambda;

/// <summary>The body of <c>/runtime/invocation/{id}/error</c> and <c>/runtime/init/error</c>.</summary>
/// <param name="ErrorMessage">The exception message.</param>
/// <param name="ErrorType">The exception type's name (also sent as <c>Lambda-Runtime-Function-Error-Type</c>).</param>
/// <param name="StackTrace">The stack trace, one frame per entry.</param>
internal sealed record LambdaErrorBody(
    [property: JsonPropertyName("errorMessage")] string ErrorMessage,
    [property: JsonPropertyName("errorType")] string ErrorType,
    [property: JsonPropertyName("stackTrace")] IReadOnlyList<string> StackTrace);

/// <summary>Source-generated JSON for the Lambda payloads: no reflection, so trimming and Native AOT keep working.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(ApiGatewayProxyRequest))]
[JsonSerializable(typeof(ApiGatewayProxyResponse))]
[JsonSerializable(typeof(LambdaErrorBody))]
internal sealed partial class LambdaJsonContext : JsonSerializerContext;

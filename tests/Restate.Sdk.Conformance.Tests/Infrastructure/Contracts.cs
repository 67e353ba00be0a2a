using System.Text;
using System.Text.Json.Nodes;
using Restate.Sdk.Testing;

namespace Restate.Sdk.Conformance.Tests.Infrastructure;

/// <summary>Request bodies of the conformance contracts (names and JSON shapes as in Restate's suite).</summary>
public static class Contracts
{
    /// <summary>A JSON string literal, e.g. <c>"ping"</c> with its quotes.</summary>
    public static string JsonString(string value) => JsonValue.Create(value).ToJsonString();

    /// <summary>The <c>Proxy</c> request: target, and the message as the JSON number array of its bytes.</summary>
    public static JsonObject ProxyRequest(string serviceName, string? virtualObjectKey, string handlerName, string messageJson,
        int? delayMillis = null, string? idempotencyKey = null)
    {
        var request = new JsonObject
        {
            ["serviceName"] = serviceName,
            ["handlerName"] = handlerName,
            ["message"] = new JsonArray(Encoding.UTF8.GetBytes(messageJson).Select(b => (JsonNode)JsonValue.Create((int)b)).ToArray()),
        };
        if (virtualObjectKey is not null)
        {
            request["virtualObjectKey"] = virtualObjectKey;
        }
        if (delayMillis is not null)
        {
            request["delayMillis"] = delayMillis;
        }
        if (idempotencyKey is not null)
        {
            request["idempotencyKey"] = idempotencyKey;
        }
        return request;
    }

    /// <summary>One entry of <c>Proxy/manyCalls</c>.</summary>
    public static JsonObject ManyCall(JsonObject proxyRequest, bool oneWayCall, bool awaitAtTheEnd) => new()
    {
        ["proxyRequest"] = proxyRequest,
        ["oneWayCall"] = oneWayCall,
        ["awaitAtTheEnd"] = awaitAtTheEnd,
    };

    /// <summary>The bytes a <c>Proxy/call</c> returned (a JSON number array), as text.</summary>
    internal static string ProxiedText(IngressResponse response) =>
        Encoding.UTF8.GetString(response.Json.AsArray().Select(b => (byte)b!.GetValue<int>()).ToArray());

    /// <summary>The body of <c>VirtualObjectCommandInterpreter/interpretCommands</c>.</summary>
    public static string Interpret(params JsonObject[] commands) =>
        new JsonObject { ["commands"] = new JsonArray(commands) }.ToJsonString();

    public static JsonObject AwaitOne(JsonObject awaitable) => new() { ["type"] = "awaitOne", ["command"] = awaitable };

    public static JsonObject AwaitAny(params JsonObject[] awaitables) => Combinator("awaitAny", awaitables);

    public static JsonObject AwaitAnySuccessful(params JsonObject[] awaitables) => Combinator("awaitAnySuccessful", awaitables);

    public static JsonObject AwaitFirstCompleted(params JsonObject[] awaitables) => Combinator("awaitFirstCompleted", awaitables);

    public static JsonObject AwaitFirstSucceededOrAllFailed(params JsonObject[] awaitables) =>
        Combinator("awaitFirstSucceededOrAllFailed", awaitables);

    public static JsonObject AwaitAllSucceededOrFirstFailed(params JsonObject[] awaitables) =>
        Combinator("awaitAllSucceededOrFirstFailed", awaitables);

    public static JsonObject AwaitAllCompleted(params JsonObject[] awaitables) => Combinator("awaitAllCompleted", awaitables);

    public static JsonObject AwaitAwakeableOrTimeout(string awakeableKey, long timeoutMillis) => new()
    {
        ["type"] = "awaitAwakeableOrTimeout",
        ["awakeableKey"] = awakeableKey,
        ["timeoutMillis"] = timeoutMillis,
    };

    public static JsonObject CreateAwakeable(string awakeableKey) => new() { ["type"] = "createAwakeable", ["awakeableKey"] = awakeableKey };

    public static JsonObject Sleep(long timeoutMillis) => new() { ["type"] = "sleep", ["timeoutMillis"] = timeoutMillis };

    public static JsonObject RunReturns(string value) => new() { ["type"] = "runReturns", ["value"] = value };

    public static JsonObject RunThrowTerminalException(string reason) =>
        new() { ["type"] = "runThrowTerminalException", ["reason"] = reason };

    public static JsonObject CreateSignal(string signalName) => new() { ["type"] = "createSignal", ["signalName"] = signalName };

    /// <summary>The body of <c>TestUtilsService/resolveSignal</c>.</summary>
    public static string ResolveSignal(string invocationId, string signalName, string value) =>
        new JsonObject { ["invocationId"] = invocationId, ["signalName"] = signalName, ["value"] = value }.ToJsonString();

    /// <summary>The body of <c>TestUtilsService/rejectSignal</c>.</summary>
    public static string RejectSignal(string invocationId, string signalName, string reason) =>
        new JsonObject { ["invocationId"] = invocationId, ["signalName"] = signalName, ["reason"] = reason }.ToJsonString();

    /// <summary>The <c>Failing</c> contract's failure description, with optional metadata.</summary>
    public static string FailureToPropagate(string errorMessage, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var failure = new JsonObject { ["errorMessage"] = errorMessage };
        if (metadata is not null)
        {
            var entries = new JsonObject();
            foreach (var (key, value) in metadata)
            {
                entries[key] = value;
            }
            failure["metadata"] = entries;
        }
        return failure.ToJsonString();
    }

    private static JsonObject Combinator(string type, JsonObject[] awaitables) =>
        new() { ["type"] = type, ["commands"] = new JsonArray(awaitables) };
}

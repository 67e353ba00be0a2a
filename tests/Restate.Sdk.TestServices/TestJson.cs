using System.Text.Json.Serialization;

namespace Restate.Sdk.TestServices;

public sealed record AddResult(long OldValue, long NewValue);

public sealed record CallRequest(string Key, long Value, string? IdempotencyKey = null, long DelayMillis = 0);

public sealed record SignupResult(string Email, string Status);

/// <summary>A recursive payload: its JSON schema refers back to itself.</summary>
public sealed record TreeNode(string Name, List<TreeNode> Children);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(AddResult))]
[JsonSerializable(typeof(CallRequest))]
[JsonSerializable(typeof(SignupResult))]
[JsonSerializable(typeof(TreeNode))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(Dictionary<string, string>))]
public sealed partial class TestJson : JsonSerializerContext;

using System.Text.Json.Nodes;

namespace Holiday.Cdk.Tests;

/// <summary>Small readers over a synthesized CloudFormation template, for checks that span several resources.</summary>
public static class TemplateJson
{
    /// <summary>The resources of <paramref name="type"/>, by logical id.</summary>
    public static IReadOnlyDictionary<string, JsonObject> Resources(this JsonObject template, string type) =>
        template["Resources"]!.AsObject()
            .Where(r => (string?)r.Value!["Type"] == type)
            .ToDictionary(r => r.Key, r => r.Value!.AsObject());

    public static JsonObject Resource(this JsonObject template, string logicalId) =>
        template["Resources"]![logicalId]?.AsObject() ?? throw new InvalidOperationException($"No resource {logicalId}");

    public static JsonObject Properties(this JsonObject resource) => resource["Properties"]!.AsObject();

    /// <summary>The logical ids a JSON fragment refers to through <c>Ref</c> or <c>Fn::GetAtt</c>.</summary>
    public static ISet<string> ReferencedIds(this JsonNode? node)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        Collect(node, ids);
        return ids;

        static void Collect(JsonNode? node, HashSet<string> ids)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (key, value) in obj)
                    {
                        if (key == "Ref" && value is JsonValue reference && !reference.GetValue<string>().StartsWith("AWS::", StringComparison.Ordinal))
                        {
                            ids.Add(reference.GetValue<string>());
                        }
                        else if (key == "Fn::GetAtt" && value is JsonArray getAtt)
                        {
                            ids.Add(getAtt[0]!.GetValue<string>());
                        }
                        else
                        {
                            Collect(value, ids);
                        }
                    }
                    break;
                case JsonArray array:
                    foreach (var item in array)
                    {
                        Collect(item, ids);
                    }
                    break;
            }
        }
    }

    /// <summary><c>DependsOn</c> as a list, whichever form the template uses.</summary>
    public static IReadOnlyList<string> DependsOn(this JsonObject resource) => resource["DependsOn"] switch
    {
        JsonArray array => [.. array.Select(d => d!.GetValue<string>())],
        JsonValue single => [single.GetValue<string>()],
        _ => [],
    };

    /// <summary>Statements of every <c>AWS::IAM::Policy</c> attached to the role with logical id <paramref name="roleId"/>.</summary>
    public static IReadOnlyList<JsonObject> StatementsOfRole(this JsonObject template, string roleId) =>
        [.. template.Resources("AWS::IAM::Policy").Values
            .Where(p => p.Properties()["Roles"]!.AsArray().Any(r => (string?)r!["Ref"] == roleId))
            .SelectMany(p => p.Properties()["PolicyDocument"]!["Statement"]!.AsArray().Select(s => s!.AsObject()))];

    /// <summary>A statement's actions, whether the template holds one string or a list.</summary>
    public static IReadOnlyList<string> Actions(this JsonObject statement) => statement["Action"] switch
    {
        JsonArray array => [.. array.Select(a => a!.GetValue<string>())],
        JsonValue single => [single.GetValue<string>()],
        _ => [],
    };

    /// <summary>A statement's resources as a list.</summary>
    public static IReadOnlyList<JsonNode> ResourceList(this JsonObject statement) => statement["Resource"] switch
    {
        JsonArray array => [.. array.Where(r => r is not null).Select(r => r!)],
        JsonNode single => [single],
        _ => [],
    };

    /// <summary>A Lambda function's environment variable, as JSON (a string or an intrinsic).</summary>
    public static JsonNode? Variable(this JsonObject function, string name) =>
        function.Properties()["Environment"]?["Variables"]?[name];
}
